package dev.faultline.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.faultline.proxy.ProxyException;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** A fault's schedule on its own: half-open windows, request counts, and what it refuses. */
class ScheduleTest {

  private static final Instant SET = Instant.parse("2025-05-01T10:00:00Z");

  @Test
  void aWindowIsHalfOpenFromIncludedUntilExcluded() {
    Schedule window = parse(new JsonObject().put("from_sec", 30).put("until_sec", 90));
    assertFalse(window.active(SET.plusMillis(29_999), 0));
    assertTrue(window.active(SET.plusSeconds(30), 0), "from_sec is inside");
    assertTrue(window.active(SET.plusMillis(89_999), 0));
    assertFalse(window.active(SET.plusSeconds(90), 0), "until_sec is outside");
  }

  @Test
  void untilAloneStartsAtOnceAndFromAloneNeverEnds() {
    Schedule until = parse(new JsonObject().put("until_sec", 1));
    assertEquals(0, until.fromSec());
    assertTrue(until.active(SET, 0));
    assertFalse(until.active(SET.plusSeconds(1), 0));
    Schedule from = parse(new JsonObject().put("from_sec", 0.5));
    assertNull(from.untilSec());
    assertTrue(from.active(SET.plusSeconds(86_400 * 365), Long.MAX_VALUE - 1));
  }

  @Test
  void nextRequestsCoversExactlyThatManyFromZero() {
    Schedule next = parse(new JsonObject().put("next_requests", 2));
    assertTrue(next.active(SET, 0));
    assertTrue(next.active(SET, 1));
    assertFalse(next.active(SET, 2));
    assertEquals(1, parse(new JsonObject().put("next_requests", 1)).nextRequests());
    assertEquals(3, parse(new JsonObject().put("next_requests", 3.0)).nextRequests(), "3.0 is a whole number");
  }

  @Test
  void setAtDefaultsToNowAndRoundTripsThroughJson() {
    Schedule schedule = parse(new JsonObject().put("from_sec", 1).put("until_sec", 2).put("next_requests", 3));
    assertEquals(SET, schedule.setAt());
    JsonObject json = schedule.toJson();
    assertEquals(new JsonObject().put("from_sec", 1.0).put("until_sec", 2.0).put("next_requests", 3L)
        .put("set_at", "2025-05-01T10:00:00Z"), json);
    assertEquals(schedule, Schedule.parse(json, "s", SET.plusSeconds(600)), "a stored set_at wins over now");
    assertEquals(new JsonObject().put("from_sec", 0.0).put("next_requests", 1L).put("set_at", SET.toString()),
        parse(new JsonObject().put("next_requests", 1)).toJson(), "no until_sec when there is none");
  }

  @Test
  void emptyAndBadSchedulesAreRefusedNamingTheField() {
    assertRefused(new JsonObject(), "f", "set from_sec and/or until_sec");
    assertRefused("soon", "f", "must be an object");
    assertRefused(new JsonObject().put("every", 3), "f.every", "unknown field");
    assertRefused(new JsonObject().put("from_sec", 5).put("until_sec", 5), "f.until_sec", "must be above from_sec");
    assertRefused(new JsonObject().put("until_sec", 0), "f.until_sec", "must be above from_sec");
    assertRefused(new JsonObject().put("from_sec", -0.001), "f.from_sec", "0 or more");
    assertRefused(new JsonObject().put("from_sec", Double.NaN), "f.from_sec", "0 or more");
    assertRefused(new JsonObject().put("from_sec", "1"), "f.from_sec", "0 or more");
    assertRefused(new JsonObject().put("next_requests", 0), "f.next_requests", "at least 1");
    assertRefused(new JsonObject().put("next_requests", 1.5), "f.next_requests", "whole number");
    assertRefused(new JsonObject().put("next_requests", "2"), "f.next_requests", "whole number");
    assertRefused(new JsonObject().put("next_requests", 1).put("set_at", "yesterday"), "f.set_at", "ISO-8601");
    assertEquals(0, parse(new JsonObject().put("from_sec", 0).put("until_sec", 0.001)).fromSec(), "0 is allowed");
  }

  private static Schedule parse(JsonObject json) {
    return Schedule.parse(json, "f", SET);
  }

  private static void assertRefused(Object value, String field, String part) {
    ProxyException e = assertThrows(ProxyException.class, () -> Schedule.parse(value, "f", SET));
    assertEquals(field, e.field());
    assertTrue(e.getMessage().contains(part), e.getMessage());
  }
}
