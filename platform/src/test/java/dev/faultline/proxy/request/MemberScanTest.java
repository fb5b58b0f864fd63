package dev.faultline.proxy.request;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The answer's three members, found without reading the rest, are what a full parse of it has. */
class MemberScanTest {

  @Test
  void findsWhatAFullParseHas() {
    List<String> answers = List.of(
        "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"created\":1732600000,\"model\":\"gpt-4o-mini\","
            + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"Hi {\\\"usage\\\": [}\","
            + "\"refusal\":null},\"logprobs\":null,\"finish_reason\":\"stop\"}],"
            + "\"usage\":{\"prompt_tokens\":28,\"completion_tokens\":39,\"total_tokens\":67,"
            + "\"prompt_tokens_details\":{\"cached_tokens\":0}}}",
        "{\"error\":{\"message\":\"Rate limit reached\",\"type\":\"requests\",\"param\":null,\"code\":\"rate_limit_exceeded\"}}",
        " \n\t{ \"usage\" : { \"input_tokens\" : 3 } , \"model\" : \"claude-sonnet-4-5\" , \"n\" : -1.5e3 }\r\n",
        "{\"model\":\"gpt-\\u00e9\\\"quoted\\\"\",\"usage\":{\"total_tokens\":1}}",
        "{\"mod\\u0065l\":\"escaped name\",\"model_x\":\"other\",\"usag\":{\"a\":1}}",
        "{\"model\":\"é😀\",\"error\":null,\"usage\":[1,2]}",
        "{\"model\":42,\"usage\":\"none\",\"error\":{\"nested\":{\"deep\":[[],{}]}}}",
        "{\"model\":\"first\",\"model\":\"last\",\"usage\":{\"n\":1},\"usage\":{\"n\":2}}",
        "{\"model\":\"a string\",\"model\":7}",
        "{\"t\":true,\"f\":false,\"z\":null,\"big\":123456789012345678901234567890,\"model\":\"m\"}",
        "{\"data\":[{\"embedding\":[0.1,-0.2,3e-5]}],\"model\":\"text-embedding-3-small\",\"usage\":{\"prompt_tokens\":8}}",
        "\uFEFF{\"model\":\"after a byte order mark\"}",
        "{}",
        "[{\"model\":\"in an array\"}]",
        "\"model\"",
        "42");
    for (String answer : answers) {
      assertEquals(expected(answer), MemberScan.of(answer.getBytes(StandardCharsets.UTF_8)), answer);
    }
  }

  @Test
  void aBrokenShapeIsRefused() {
    for (String answer : List.of("{", "{\"model\":\"gpt\",\"usage\":{\"prompt", "{\"model\":\"gpt\"", "{\"model\" \"gpt\"}",
        "{\"model\":\"gpt\" \"usage\":{}}", "{model:\"gpt\"}", "{\"a\":}", "{\"a\":1,}", "{\"a\":[1,2}",
        "{\"model\":\"unterminated}", "{\"usage\":{\"a\":}}", "{\"model\":\"raw\ttab\"}", "{ ")) {
      assertThrows(DecodeException.class, () -> MemberScan.of(answer.getBytes(StandardCharsets.UTF_8)), answer);
    }
  }

  @Test
  void anAnswerThatIsNotJsonHasNoMembers() {
    for (String answer : List.of("", "   ", "<html>502 Bad Gateway</html>", "upstream connect error")) {
      assertEquals(new JsonObject(), AnswerFacts.of(Buffer.buffer(answer)).members(), answer);
    }
    assertEquals(new JsonObject(), AnswerFacts.of(Buffer.buffer("{\"model\":\"gpt\",\"usage\":{\"prompt")).members());
  }

  /** The members as Vert.x's own full parse of the answer has them. */
  private static JsonObject expected(String answer) {
    Object parsed = Buffer.buffer(answer.replace("\uFEFF", "")).toJsonValue();
    JsonObject expected = new JsonObject();
    if (parsed instanceof JsonObject whole) {
      if (whole.getValue("model") instanceof String model) {
        expected.put("model", model);
      }
      for (String name : List.of("usage", "error")) {
        if (whole.getValue(name) instanceof JsonObject member) {
          expected.put(name, member);
        }
      }
    }
    return expected;
  }
}
