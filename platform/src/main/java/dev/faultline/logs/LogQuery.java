package dev.faultline.logs;

import dev.faultline.store.StoreKind;
import java.util.Collections;
import java.util.List;

/**
 * Which log entries to read, newest first. Every filter is optional (null: any).
 *
 * @param proxyId  one proxy's entries
 * @param from     entries at or after this epoch millisecond
 * @param to       entries before this epoch millisecond
 * @param statuses HTTP statuses ({@code 429}) or classes ({@code 5xx}); empty: any
 * @param model    the model the caller asked for
 * @param cache    {@code HIT}, {@code MISS}, {@code BYPASS}, or {@link #NONE} (cache off)
 * @param fault    a fault strategy id, {@link #ANY} (any fault) or {@link #NONE} (no fault)
 * @param after    continue after this entry (exclusive)
 * @param within   only entries of these proxies (the caller's own); null: of any proxy, deleted ones included
 */
public record LogQuery(String proxyId, Long from, Long to, List<String> statuses, String model, String cache,
                       String fault, Cursor after, List<String> within) {

  public static final String ANY = "any";
  public static final String NONE = "none";

  public LogQuery {
    statuses = statuses == null ? List.of() : List.copyOf(statuses);
    within = within == null ? null : List.copyOf(within);
  }

  public LogQuery after(Cursor cursor) {
    return new LogQuery(proxyId, from, to, statuses, model, cache, fault, cursor, within);
  }

  /** This query limited to the entries of {@code proxyIds}. */
  public LogQuery within(List<String> proxyIds) {
    return new LogQuery(proxyId, from, to, statuses, model, cache, fault, after, proxyIds);
  }

  /**
   * A position in the newest-first order: the time and row id of the last entry seen. Shown to
   * callers as an opaque {@code next_cursor} string.
   */
  public record Cursor(long ts, long id) {

    public static Cursor parse(String text) {
      int dot = text.indexOf('.');
      if (dot < 1) {
        throw new IllegalArgumentException("not a cursor this API gave out");
      }
      try {
        return new Cursor(Long.parseLong(text.substring(0, dot)), Long.parseLong(text.substring(dot + 1)));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("not a cursor this API gave out");
      }
    }

    @Override
    public String toString() {
      return ts + "." + id;
    }
  }

  /** The WHERE clause of this query (without the word), appending its parameters to {@code args}. */
  String where(StoreKind kind, List<Object> args) {
    StringBuilder sql = new StringBuilder("1 = 1");
    if (proxyId != null) {
      sql.append(" AND proxy_id = ?");
      args.add(proxyId);
    }
    if (within != null) {
      sql.append(within.isEmpty() ? " AND 1 = 0" : " AND proxy_id IN (" + String.join(", ",
          Collections.nCopies(within.size(), "?")) + ")");
      args.addAll(within);
    }
    if (from != null) {
      sql.append(" AND ts >= ?");
      args.add(from);
    }
    if (to != null) {
      sql.append(" AND ts < ?");
      args.add(to);
    }
    if (!statuses.isEmpty()) {
      sql.append(" AND (");
      for (int i = 0; i < statuses.size(); i++) {
        String status = statuses.get(i);
        sql.append(i == 0 ? "" : " OR ");
        if (status.endsWith("xx")) {
          int hundreds = Integer.parseInt(status.substring(0, 1)) * 100;
          sql.append("status BETWEEN ? AND ?");
          args.add(hundreds);
          args.add(hundreds + 99);
        } else {
          sql.append("status = ?");
          args.add(Integer.parseInt(status));
        }
      }
      sql.append(')');
    }
    if (model != null) {
      sql.append(" AND model = ?");
      args.add(model);
    }
    if (cache != null) {
      sql.append(NONE.equals(cache) ? " AND cache_status IS NULL" : " AND cache_status = ?");
      if (!NONE.equals(cache)) {
        args.add(cache);
      }
    }
    if (fault != null) {
      if (ANY.equals(fault)) {
        sql.append(" AND fault IS NOT NULL");
      } else if (NONE.equals(fault)) {
        sql.append(" AND fault IS NULL");
      } else {
        // A row names every strategy that touched it, comma-separated: match one among them.
        sql.append(" AND ").append(kind.contains("',' || fault || ','"));
        args.add("," + fault + ",");
      }
    }
    if (after != null) {
      // The first term gives the index on ts a range to start from; the second breaks ties.
      sql.append(" AND ts <= ? AND (ts < ? OR id < ?)");
      args.add(after.ts());
      args.add(after.ts());
      args.add(after.id());
    }
    return sql.toString();
  }
}
