package dev.faultline.faults;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Tokens a request counts against a tokens-per-minute limit before it runs, estimated as OpenAI's
 * limiter does: about four characters of prompt per token, plus the completion tokens it may
 * produce ({@code max_completion_tokens} or {@code max_tokens}, times {@code n}).
 */
final class TokenEstimate {

  private TokenEstimate() {
  }

  static long of(JsonObject body) {
    if (body == null) {
      return 0;
    }
    long characters = characters(body.getValue("messages")) + characters(body.getValue("prompt"))
        + characters(body.getValue("input"));
    Object max = body.getValue("max_completion_tokens") != null ? body.getValue("max_completion_tokens")
        : body.getValue("max_tokens");
    long completion = max instanceof Number m ? Math.max(0, m.longValue()) : 0;
    long choices = body.getValue("n") instanceof Number n ? Math.max(1, n.longValue()) : 1;
    return (characters + 3) / 4 + completion * choices;
  }

  private static long characters(Object value) {
    if (value instanceof String text) {
      return text.length();
    }
    long total = 0;
    if (value instanceof JsonArray array) {
      for (Object item : array) {
        total += characters(item);
      }
    } else if (value instanceof JsonObject object) {
      for (String key : object.fieldNames()) {
        total += characters(object.getValue(key));
      }
    }
    return total;
  }
}
