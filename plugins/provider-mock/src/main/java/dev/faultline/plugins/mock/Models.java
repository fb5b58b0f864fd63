package dev.faultline.plugins.mock;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Optional;

/**
 * {@code GET /v1/models}: a fixed catalogue of common OpenAI models, with the creation dates and
 * owners OpenAI lists for them. Completions accept any model name; this list only serves
 * clients that look models up first.
 */
final class Models {

  record Model(String id, long created, String ownedBy) {

    JsonObject json() {
      return new JsonObject().put("id", id).put("object", "model").put("created", created).put("owned_by", ownedBy);
    }
  }

  static final List<Model> ALL = List.of(
      new Model("gpt-4o", 1715367049L, "system"),
      new Model("gpt-4o-mini", 1721172741L, "system"),
      new Model("gpt-4.1", 1744316542L, "system"),
      new Model("gpt-4.1-mini", 1744318173L, "system"),
      new Model("gpt-4.1-nano", 1744321707L, "system"),
      new Model("o3-mini", 1737146383L, "system"),
      new Model("o4-mini", 1744225351L, "system"),
      new Model("gpt-3.5-turbo", 1677610602L, "openai"),
      new Model("gpt-3.5-turbo-instruct", 1692901427L, "system"),
      new Model("text-embedding-3-small", 1705948997L, "system"),
      new Model("text-embedding-3-large", 1705953180L, "system"),
      new Model("text-embedding-ada-002", 1671217299L, "openai-internal"));

  private Models() {
  }

  static JsonObject list() {
    JsonArray data = new JsonArray();
    ALL.forEach(model -> data.add(model.json()));
    return new JsonObject().put("object", "list").put("data", data);
  }

  static Optional<Model> find(String id) {
    return ALL.stream().filter(model -> model.id().equals(id)).findFirst();
  }
}
