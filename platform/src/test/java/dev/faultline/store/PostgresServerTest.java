package dev.faultline.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.DriverManager;
import java.sql.ResultSet;
import org.junit.jupiter.api.Test;

class PostgresServerTest {
  @Test
  void answers() throws Exception {
    try (var c = DriverManager.getConnection(PostgresServer.freshDatabase()); ResultSet r = c.createStatement().executeQuery("SELECT 1")) {
      r.next();
      assertEquals(1, r.getInt(1));
    }
  }
}
