package dev.faultline.plugins.anthropic;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * An OpenAI chat completion request as a Messages request: system and developer messages become
 * {@code system}, turns alternate as Anthropic requires, tool calls become {@code tool_use} blocks
 * and tool messages {@code tool_result} blocks, and the sampling settings keep their meaning.
 * What Messages cannot do is refused ({@link UntranslatableRequest}); fields with no counterpart
 * that change nothing an OpenAI caller relies on (penalties, seed, store…) are left out.
 */
final class ChatToMessages {

  private ChatToMessages() {
  }

  /**
   * @param chat             the caller's chat completion request
   * @param defaultMaxTokens {@code max_tokens} when the caller set none
   * @throws UntranslatableRequest naming the field Messages cannot express
   */
  static JsonObject translate(JsonObject chat, int defaultMaxTokens) {
    refuseWhatMessagesCannotDo(chat);
    JsonObject messages = new JsonObject();
    Object model = chat.getValue("model");
    if (!(model instanceof String name) || name.isBlank()) {
      throw new UntranslatableRequest("model", "you must provide a model parameter");
    }
    messages.put("model", name);
    messages.put("max_tokens", maxTokens(chat, defaultMaxTokens));
    Turns turns = new Turns();
    List<String> system = new ArrayList<>();
    JsonArray chatMessages = Json.arrayAt(chat, "messages");
    if (chatMessages == null || chatMessages.isEmpty()) {
      throw new UntranslatableRequest("messages", "messages must be a non-empty array");
    }
    for (int i = 0; i < chatMessages.size(); i++) {
      String at = "messages[" + i + "]";
      if (!(chatMessages.getValue(i) instanceof JsonObject message)) {
        throw new UntranslatableRequest(at, at + " must be an object");
      }
      String role = String.valueOf(message.getValue("role"));
      switch (role) {
        // Anthropic has one system prompt, before the conversation: every system message joins it.
        case "system", "developer" -> system.add(text(message.getValue("content"), at + ".content"));
        case "user" -> turns.add("user", userContent(message.getValue("content"), at + ".content"));
        case "assistant" -> turns.add("assistant", assistantContent(message, at));
        case "tool" -> turns.add("user", JsonArray.of(toolResult(message, at)));
        default -> throw new UntranslatableRequest(at + ".role", at + ".role '" + role + "' cannot be sent to "
            + "Anthropic; use system, developer, user, assistant or tool");
      }
    }
    if (!system.isEmpty()) {
      messages.put("system", String.join("\n\n", system));
    }
    messages.put("messages", turns.messages);
    copy(chat, messages, "temperature", "temperature");
    copy(chat, messages, "top_p", "top_p");
    stopSequences(chat.getValue("stop")).ifPresent(stops -> messages.put("stop_sequences", stops));
    tools(chat, messages);
    if (Boolean.TRUE.equals(chat.getValue("stream"))) {
      messages.put("stream", true);
    }
    if (chat.getValue("user") instanceof String user && !user.isEmpty()) {
      messages.put("metadata", new JsonObject().put("user_id", user));
    }
    return messages;
  }

  private static void refuseWhatMessagesCannotDo(JsonObject chat) {
    Object n = chat.getValue("n");
    if (n != null && !(n instanceof Number number && number.intValue() == 1)) {
      throw new UntranslatableRequest("n", "n must be 1: Anthropic answers with one choice");
    }
    if (Boolean.TRUE.equals(chat.getValue("logprobs")) || chat.getValue("top_logprobs") != null) {
      throw new UntranslatableRequest("logprobs", "logprobs are not available from Anthropic");
    }
    if (chat.getValue("audio") != null || chat.getValue("modalities") instanceof JsonArray m && m.contains("audio")) {
      throw new UntranslatableRequest("modalities", "audio output is not available from Anthropic");
    }
    if (chat.getValue("response_format") instanceof JsonObject format && !"text".equals(format.getValue("type"))) {
      throw new UntranslatableRequest("response_format", "response_format '" + format.getValue("type")
          + "' cannot be translated to Anthropic's Messages API; describe the JSON you want in the prompt, or call "
          + "/v1/messages natively");
    }
  }

  private static int maxTokens(JsonObject chat, int fallback) {
    for (String name : new String[] {"max_completion_tokens", "max_tokens"}) {
      Object value = chat.getValue(name);
      if (value == null) {
        continue;
      }
      if (value instanceof Number n && n.doubleValue() == n.intValue() && n.intValue() > 0) {
        return n.intValue();
      }
      throw new UntranslatableRequest(name, name + " must be a positive integer, got " + value);
    }
    return fallback;
  }

  /** Plain text of a system or tool message: a string, or text parts joined. */
  private static String text(Object content, String at) {
    if (content instanceof String s) {
      return s;
    }
    if (content instanceof JsonArray parts) {
      StringBuilder text = new StringBuilder();
      for (int i = 0; i < parts.size(); i++) {
        if (!(parts.getValue(i) instanceof JsonObject part) || !"text".equals(part.getValue("type"))
            || !(part.getValue("text") instanceof String piece)) {
          throw new UntranslatableRequest(at + "[" + i + "]", at + "[" + i + "] must be a text part here");
        }
        text.append(text.isEmpty() ? "" : "\n").append(piece);
      }
      return text.toString();
    }
    throw new UntranslatableRequest(at, at + " must be a string or an array of text parts");
  }

  private static JsonArray userContent(Object content, String at) {
    if (content instanceof String s) {
      return JsonArray.of(textBlock(s));
    }
    if (!(content instanceof JsonArray parts)) {
      throw new UntranslatableRequest(at, at + " must be a string or an array of content parts");
    }
    JsonArray blocks = new JsonArray();
    for (int i = 0; i < parts.size(); i++) {
      String partAt = at + "[" + i + "]";
      JsonObject part = parts.getValue(i) instanceof JsonObject p ? p : new JsonObject();
      Object type = part.getValue("type");
      if ("text".equals(type) && part.getValue("text") instanceof String piece) {
        blocks.add(textBlock(piece));
      } else if ("image_url".equals(type) && Json.objectAt(part, "image_url") != null
          && Json.string(Json.objectAt(part, "image_url"), "url") != null) {
        blocks.add(image(Json.string(Json.objectAt(part, "image_url"), "url"), partAt));
      } else {
        throw new UntranslatableRequest(partAt + ".type", partAt + ".type '" + type
            + "' cannot be translated to Anthropic; text and image_url parts can");
      }
    }
    return blocks;
  }

  /** A data URL becomes a base64 source, any other URL a url source (Anthropic fetches it). */
  private static JsonObject image(String url, String at) {
    JsonObject source;
    if (url.startsWith("data:")) {
      int comma = url.indexOf(',');
      int semicolon = url.indexOf(';');
      if (comma < 0 || semicolon < 0 || semicolon > comma || !url.substring(semicolon, comma).equals(";base64")) {
        throw new UntranslatableRequest(at + ".image_url.url", at + ".image_url.url must be a base64 data URL "
            + "(data:image/png;base64,...) or an http(s) URL");
      }
      source = new JsonObject().put("type", "base64").put("media_type", url.substring(5, semicolon))
          .put("data", url.substring(comma + 1));
    } else {
      source = new JsonObject().put("type", "url").put("url", url);
    }
    return new JsonObject().put("type", "image").put("source", source);
  }

  private static JsonArray assistantContent(JsonObject message, String at) {
    JsonArray blocks = new JsonArray();
    Object content = message.getValue("content");
    if (content != null) {
      String text = text(content, at + ".content");
      // Anthropic refuses an empty text block; an assistant turn that only calls tools has "" here.
      if (!text.isEmpty()) {
        blocks.add(textBlock(text));
      }
    }
    JsonArray calls = Json.arrayAt(message, "tool_calls");
    for (int i = 0; calls != null && i < calls.size(); i++) {
      String callAt = at + ".tool_calls[" + i + "]";
      JsonObject call = calls.getValue(i) instanceof JsonObject c ? c : new JsonObject();
      JsonObject function = Json.objectAt(call, "function");
      String name = Json.string(function, "name");
      String id = Json.string(call, "id");
      if (name == null || id == null) {
        throw new UntranslatableRequest(callAt, callAt + " must have an id and a function.name");
      }
      String arguments = Json.string(function, "arguments");
      JsonObject input = arguments == null || arguments.isBlank() ? new JsonObject() : Json.object(arguments);
      if (input == null) {
        throw new UntranslatableRequest(callAt + ".function.arguments", callAt
            + ".function.arguments must be a JSON object: Anthropic keeps a tool call's input as one");
      }
      blocks.add(new JsonObject().put("type", "tool_use").put("id", id).put("name", name).put("input", input));
    }
    if (blocks.isEmpty()) {
      throw new UntranslatableRequest(at + ".content", at + " has neither content nor tool_calls");
    }
    return blocks;
  }

  private static JsonObject toolResult(JsonObject message, String at) {
    String id = Json.string(message, "tool_call_id");
    if (id == null) {
      throw new UntranslatableRequest(at + ".tool_call_id", at + ".tool_call_id is required for a tool message");
    }
    return new JsonObject().put("type", "tool_result").put("tool_use_id", id)
        .put("content", text(message.getValue("content"), at + ".content"));
  }

  private static JsonObject textBlock(String text) {
    return new JsonObject().put("type", "text").put("text", text);
  }

  private static java.util.Optional<JsonArray> stopSequences(Object stop) {
    if (stop == null) {
      return java.util.Optional.empty();
    }
    if (stop instanceof String s) {
      return java.util.Optional.of(JsonArray.of(s));
    }
    if (stop instanceof JsonArray list && list.stream().allMatch(String.class::isInstance)) {
      return list.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of(list.copy());
    }
    throw new UntranslatableRequest("stop", "stop must be a string or an array of strings");
  }

  private static void tools(JsonObject chat, JsonObject messages) {
    JsonArray tools = Json.arrayAt(chat, "tools");
    if (tools == null || tools.isEmpty()) {
      return;
    }
    JsonArray translated = new JsonArray();
    for (int i = 0; i < tools.size(); i++) {
      String at = "tools[" + i + "]";
      JsonObject tool = tools.getValue(i) instanceof JsonObject t ? t : new JsonObject();
      JsonObject function = Json.objectAt(tool, "function");
      if (!"function".equals(tool.getValue("type")) || Json.string(function, "name") == null) {
        throw new UntranslatableRequest(at, at + " must be a function tool with a name");
      }
      JsonObject anthropicTool = new JsonObject().put("name", function.getString("name"));
      if (function.getValue("description") instanceof String description) {
        anthropicTool.put("description", description);
      }
      JsonObject schema = Json.objectAt(function, "parameters");
      anthropicTool.put("input_schema", schema != null ? schema.copy()
          : new JsonObject().put("type", "object").put("properties", new JsonObject()));
      translated.add(anthropicTool);
    }
    messages.put("tools", translated);
    JsonObject choice = toolChoice(chat.getValue("tool_choice"));
    if (Boolean.FALSE.equals(chat.getValue("parallel_tool_calls")) && !"none".equals(choice.getValue("type"))) {
      choice.put("disable_parallel_tool_use", true);
    }
    if (chat.getValue("tool_choice") != null || choice.containsKey("disable_parallel_tool_use")) {
      messages.put("tool_choice", choice);
    }
  }

  private static JsonObject toolChoice(Object choice) {
    if (choice == null || "auto".equals(choice)) {
      return new JsonObject().put("type", "auto");
    }
    if ("required".equals(choice)) {
      return new JsonObject().put("type", "any");
    }
    if ("none".equals(choice)) {
      return new JsonObject().put("type", "none");
    }
    if (choice instanceof JsonObject named && "function".equals(named.getValue("type"))
        && Json.string(Json.objectAt(named, "function"), "name") != null) {
      return new JsonObject().put("type", "tool").put("name", Json.objectAt(named, "function").getString("name"));
    }
    throw new UntranslatableRequest("tool_choice", "tool_choice must be auto, required, none or "
        + "{\"type\":\"function\",\"function\":{\"name\":...}}");
  }

  private static void copy(JsonObject from, JsonObject to, String name, String as) {
    Object value = from.getValue(name);
    if (value != null) {
      to.put(as, value);
    }
  }

  /** Messages in Anthropic's order: consecutive turns of one role are one message. */
  private static final class Turns {
    private final JsonArray messages = new JsonArray();

    void add(String role, JsonArray blocks) {
      JsonObject last = messages.isEmpty() ? null : messages.getJsonObject(messages.size() - 1);
      if (last != null && role.equals(last.getString("role"))) {
        last.getJsonArray("content").addAll(blocks);
      } else {
        messages.add(new JsonObject().put("role", role).put("content", blocks));
      }
    }
  }
}
