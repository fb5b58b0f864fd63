package dev.faultline.store;

import dev.faultline.launcher.FaultlineConfig;

/** The store contract on the embedded SQLite file (the default, empty {@code store.url}). */
class SqliteStoreContractTest extends StoreContract {

  @Override
  FaultlineConfig.Store store() {
    return FaultlineConfig.Store.embedded();
  }

  @Override
  StoreKind kind() {
    return StoreKind.SQLITE;
  }
}
