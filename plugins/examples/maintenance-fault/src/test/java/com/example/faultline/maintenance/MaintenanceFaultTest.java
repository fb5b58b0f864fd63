package com.example.faultline.maintenance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.faultline.plugin.api.ApiError;
import dev.faultline.plugin.api.Dialect;
import dev.faultline.plugin.api.Dialects;
import dev.faultline.plugin.api.Fault;
import dev.faultline.plugin.api.FaultContext;
import dev.faultline.plugin.api.FaultDecision;
import dev.faultline.plugin.api.FaultParamException;
import dev.faultline.plugin.api.FaultParams;
import dev.faultline.plugin.api.FaultRequest;
import dev.faultline.plugin.api.ProviderResponse;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/**
 * The strategy on its own, no host: params as the host would hand them ({@code withDefaults}), a
 * {@code FaultRequest} built per dialect, and the decision checked as the caller would get it.
 */
class MaintenanceFaultTest {

  private final MaintenanceFault strategy = new MaintenanceFault();

  @Test
  void anthropicCallersGetOverloadedErrorWithWholeSecondRetryAfter() {
    ApiError error = decide(new JsonObject().put("status", 529).put("retry_after", 5), Dialects.ANTHROPIC_MESSAGES);

    assertEquals(529, error.status());
    assertEquals("overloaded_error", error.type());
    assertEquals("Overloaded", error.message());
    assertEquals("5", error.headers().get("retry-after").orElseThrow());
    JsonObject body = wire(Dialects.ANTHROPIC_MESSAGES, error);
    assertEquals(new JsonObject().put("type", "error").put("error", new JsonObject().put("type", "overloaded_error")
        .put("message", "Overloaded")).put("request_id", "req_test"), body);
  }

  @Test
  void openAiCallersGetServerErrorWithBothRetryHeadersByDefault() {
    ApiError error = decide(new JsonObject(), Dialects.OPENAI_CHAT);

    assertEquals(503, error.status());
    assertEquals("server_error", error.type());
    assertEquals("30", error.headers().get("retry-after").orElseThrow());
    assertEquals("30000", error.headers().get("retry-after-ms").orElseThrow());
    assertTrue(wire(Dialects.OPENAI_CHAT, error).getJsonObject("error").containsKey("message"));
  }

  @Test
  void anOwnMessageReplacesTheApisWordingAndZeroSendsNoRetryHeader() {
    ApiError error = decide(new JsonObject().put("retry_after", 0).put("message", "Back at 14:00 UTC."),
        Dialects.OPENAI_RESPONSES);

    assertEquals("Back at 14:00 UTC.", error.message());
    assertEquals(0, error.headers().size());
  }

  @Test
  void aBlankMessageIsRefusedNamingTheParameter() {
    FaultParams params = FaultParams.withDefaults(strategy.params(), new JsonObject().put("message", "  "));
    FaultParamException refused = assertThrows(FaultParamException.class, () -> strategy.validate(params));
    assertTrue(refused.getMessage().contains("must not be blank"), refused.getMessage());
  }

  private ApiError decide(JsonObject given, Dialect dialect) {
    FaultParams params = FaultParams.withDefaults(strategy.params(), given);
    strategy.validate(params);
    Fault fault = strategy.create(params, new FaultContext() {
      @Override
      public Vertx vertx() {
        return null;
      }

      @Override
      public String proxyId() {
        return "prx_test";
      }
    });
    FaultDecision decision = fault.decide(FaultRequest.builder().dialect(dialect).model("some-model").build());
    return assertInstanceOf(FaultDecision.Respond.class, decision).error();
  }

  /** The body the host would send: the dialect writes it, as the provider asks it to. */
  private static JsonObject wire(Dialect dialect, ApiError error) {
    ProviderResponse response = dialect.errorResponse(error, "req_test");
    Buffer body = Buffer.buffer();
    response.body().handler(body::appendBuffer);
    return body.toJsonObject();
  }
}
