package dev.faultline.store;

import dev.faultline.launcher.FaultlineConfig;

/** The store contract on PostgreSQL: a fresh database of the test JVM's one server per test. */
class PostgresStoreContractTest extends StoreContract {

  @Override
  FaultlineConfig.Store store() {
    return new FaultlineConfig.Store(PostgresServer.freshDatabase(), null, null);
  }

  @Override
  StoreKind kind() {
    return StoreKind.POSTGRESQL;
  }
}
