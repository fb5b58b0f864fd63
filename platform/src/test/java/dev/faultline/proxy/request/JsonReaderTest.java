package dev.faultline.proxy.request;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The hot path's JSON reader gives what Vert.x's own parse gives, and refuses what is not one JSON value. */
class JsonReaderTest {

  @Test
  void readsEveryKindOfValueAsVertxDoes() {
    List<String> documents = List.of(
        "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"é😀 \\\"q\\\" \\\\n\"}],\"stream\":true}",
        "{\"n\":1,\"big\":9007199254740993,\"huge\":123456789012345678901234567890,\"f\":0.25,\"e\":1e-7,\"neg\":-3}",
        "{\"t\":true,\"f\":false,\"z\":null,\"empty\":{},\"none\":[],\"nested\":[[1,[2,{\"a\":[]}]],{\"b\":{\"c\":null}}]}",
        "{\"dup\":1,\"dup\":2}",
        "  {\"spaces\" : [ 1 , 2 ] }\n",
        "[1,\"two\",{\"three\":3}]",
        "\"just a string\"",
        "42");
    for (String document : documents) {
      Buffer body = Buffer.buffer(document);
      assertEquals(body.toJsonValue(), JsonReader.value(body), document);
    }
  }

  @Test
  void refusesWhatIsNotOneJsonValue() {
    for (String document : List.of("", "   ", "{", "{\"a\":}", "{\"a\":1,}", "{\"a\":1} {\"b\":2}", "{\"a\":1} x",
        "{'a':1}", "{\"a\":01}", "nul", "{\"a\":1}]")) {
      assertThrows(DecodeException.class, () -> JsonReader.value(Buffer.buffer(document)), "'" + document + "'");
    }
  }
}
