package dev.faultline.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.vertx.jdbcclient.impl.actions.JDBCColumnDescriptor;
import io.vertx.jdbcclient.spi.JDBCColumnDescriptorProvider;
import io.vertx.jdbcclient.spi.JDBCEncoder;
import io.vertx.jdbcclient.spi.JDBCEncoderImpl;
import io.vertx.sqlclient.Tuple;
import java.sql.JDBCType;
import java.sql.Time;
import java.time.OffsetTime;
import java.time.ZoneOffset;
import java.util.ServiceLoader;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** What the JDBC client binds: plain values as they are, without asking their type; anything else as before. */
class PlainParametersTest {

  private final AtomicInteger asked = new AtomicInteger();
  private final JDBCColumnDescriptorProvider types = position -> {
    asked.incrementAndGet();
    return JDBCColumnDescriptor.wrap(JDBCType.VARCHAR);
  };

  @Test
  void theClientFindsIt() {
    assertInstanceOf(PlainParameters.class, ServiceLoader.load(JDBCEncoder.class).findFirst().orElseThrow());
  }

  @Test
  void plainValuesAreBoundAsTheyAreWithoutAskingTheirType() throws Exception {
    byte[] bytes = {1, 2};
    Tuple values = Tuple.of("text", 7L, 3, 2.5, true).addValue(bytes).addValue(null);
    PlainParameters encoder = new PlainParameters();
    for (int position = 1; position <= values.size(); position++) {
      assertSame(values.getValue(position - 1), encoder.encode(values, position, types));
    }
    assertEquals(0, asked.get(), "the parameter types were looked up");
  }

  @Test
  void anythingElseIsConvertedByTheClientsOwnEncoderForItsType() throws Exception {
    Tuple values = Tuple.of(OffsetTime.of(9, 30, 0, 0, ZoneOffset.UTC));
    JDBCColumnDescriptorProvider time = position -> JDBCColumnDescriptor.wrap(JDBCType.TIME);
    Object expected = new JDBCEncoderImpl().encode(values, 1, time);
    assertInstanceOf(Time.class, expected, "the client's encoder no longer converts this; pick another example");
    assertEquals(expected, new PlainParameters().encode(values, 1, position -> {
      asked.incrementAndGet();
      return time.apply(position);
    }));
    assertEquals(1, asked.get());
  }
}
