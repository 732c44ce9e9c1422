package dev.scoresde.api.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The configured keys, validated at start-up. A presented key is hashed and compared with every configured hash
 * in constant time ({@link MessageDigest#isEqual}), all of them every time, so neither the position of a match
 * nor a common prefix shows in the response time.
 */
final class ApiKeys {
  private final List<ApiKey> keys;

  ApiKeys(SecurityProperties props) {
    List<ApiKey> list = new ArrayList<>();
    // keys off: configured keys are not used (nor checked, so an empty placeholder does not stop the server)
    Map<String, SecurityProperties.Key> configured = props.enabled() ? props.keys() : Map.of();
    for (Map.Entry<String, SecurityProperties.Key> e : new java.util.TreeMap<>(configured).entrySet()) {
      list.add(parse(e.getKey(), e.getValue()));
    }
    if (props.enabled() && list.isEmpty()) {
      throw new IllegalStateException("score-sde.security.enabled is true but no key is configured: add "
          + "score-sde.security.keys.<name>.sha256 (printf %s \"$KEY\" | sha256sum) or turn keys off");
    }
    this.keys = List.copyOf(list);
  }

  static ApiKey parse(String name, SecurityProperties.Key k) {
    String where = "score-sde.security.keys." + name;
    if (k == null || k.sha256() == null || !k.sha256().trim().matches("(?i)[0-9a-f]{64}")) {
      throw new IllegalStateException(where + ".sha256 must be the key's SHA-256 as 64 hex digits "
          + "(printf %s \"$KEY\" | sha256sum), got " + (k == null || k.sha256() == null ? "nothing"
          : k.sha256().trim().length() + " characters"));
    }
    Set<Scope> scopes = EnumSet.noneOf(Scope.class);
    List<String> ids = k.scopes() == null || k.scopes().isEmpty() ? List.of("operate") : k.scopes();
    for (String id : ids) {
      scopes.addAll(Scope.parse(name, id).implied());
    }
    positive(where + ".requests", k.requests());
    positive(where + ".max-concurrent", k.maxConcurrent());
    return new ApiKey(name, HexFormat.of().parseHex(k.sha256().trim().toLowerCase(java.util.Locale.ROOT)),
        Set.copyOf(scopes), k.requests(), k.maxConcurrent());
  }

  private static void positive(String where, Integer v) {
    if (v != null && v < 1) {
      throw new IllegalStateException(where + " must be at least 1, got " + v);
    }
  }

  /** The key whose hash is the presented secret's, if any. */
  Optional<ApiKey> match(String presented) {
    byte[] h = sha256(presented);
    ApiKey found = null;
    for (ApiKey k : keys) {
      if (MessageDigest.isEqual(h, k.sha256()) && found == null) {
        found = k;
      }
    }
    return Optional.ofNullable(found);
  }

  List<ApiKey> all() {
    return keys;
  }

  static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The hex SHA-256 to configure for a key (also {@code printf %s "$KEY" | sha256sum}). */
  static String hash(String key) {
    return HexFormat.of().formatHex(sha256(key));
  }
}
