package dev.scoresde.api.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ApiKeysTest {

  static SecurityProperties.Key key(String secret, String... scopes) {
    return new SecurityProperties.Key(ApiKeys.hash(secret), List.of(scopes), null, null);
  }

  @Test
  void theHashIsSha256HexAsSha256sumPrintsIt() {
    // printf %s abc | sha256sum
    assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", ApiKeys.hash("abc"));
  }

  @Test
  void aPresentedKeyMatchesItsOwnHashOnly() {
    ApiKeys keys = new ApiKeys(new SecurityProperties(true, Map.of("a", key("alpha", "sample"), "b", key("beta"))));
    assertEquals("a", keys.match("alpha").orElseThrow().name());
    assertEquals("b", keys.match("beta").orElseThrow().name());
    assertTrue(keys.match("alph").isEmpty());
    assertTrue(keys.match("alpha ").isEmpty());
    assertTrue(keys.match(ApiKeys.hash("alpha")).isEmpty(), "the hash itself is not a key");
  }

  @Test
  void scopesIncludeTheOnesBelowAndDefaultToOperate() {
    ApiKeys keys = new ApiKeys(new SecurityProperties(true, Map.of("s", key("s", "sample"), "o", key("o"),
        "a", key("a", "ADMIN"))));
    assertEquals(Set.of(Scope.SAMPLE), keys.match("s").orElseThrow().scopes());
    assertEquals(Set.of(Scope.SAMPLE, Scope.OPERATE), keys.match("o").orElseThrow().scopes());
    assertEquals(Set.of(Scope.values()), keys.match("a").orElseThrow().scopes());
  }

  @Test
  void badConfigurationFailsAtStartWithThePropertyName() {
    IllegalStateException none = assertThrows(IllegalStateException.class,
        () -> new ApiKeys(new SecurityProperties(true, Map.of())));
    assertTrue(none.getMessage().contains("score-sde.security.keys.<name>.sha256"), none.getMessage());
    IllegalStateException hash = assertThrows(IllegalStateException.class, () -> new ApiKeys(new SecurityProperties(
        true, Map.of("ci", new SecurityProperties.Key("plain-key-not-a-hash", null, null, null)))));
    assertTrue(hash.getMessage().contains("score-sde.security.keys.ci.sha256"), hash.getMessage());
    assertFalse(hash.getMessage().contains("plain-key-not-a-hash"), "a misplaced key is not echoed into the log");
    IllegalStateException scope = assertThrows(IllegalStateException.class,
        () -> new ApiKeys(new SecurityProperties(true, Map.of("ci", key("x", "root")))));
    assertTrue(scope.getMessage().contains("ci.scopes") && scope.getMessage().contains("root"), scope.getMessage());
    assertThrows(IllegalStateException.class, () -> new ApiKeys(new SecurityProperties(true,
        Map.of("ci", new SecurityProperties.Key(ApiKeys.hash("x"), null, 0, null)))));
    // keys off: no key needed
    assertTrue(new ApiKeys(new SecurityProperties(false, null)).all().isEmpty());
  }

  @Test
  void keysBindFromEnvironmentVariablesAsComposeSetsThem() {
    var env = new org.springframework.core.env.SystemEnvironmentPropertySource("systemEnvironment", Map.of(
        "SCORESDE_SECURITY_ENABLED", "true",
        "SCORESDE_SECURITY_KEYS_CI_SHA256", ApiKeys.hash("from-env"), "SCORESDE_SECURITY_KEYS_CI_SCOPES", "sample"));
    SecurityProperties props = new org.springframework.boot.context.properties.bind.Binder(
        org.springframework.boot.context.properties.source.ConfigurationPropertySources.from(env))
        .bind("score-sde.security", SecurityProperties.class).get();
    ApiKey ci = new ApiKeys(props).match("from-env").orElseThrow();
    assertEquals("ci", ci.name());
    assertEquals(Set.of(Scope.SAMPLE), ci.scopes());
    // keys off: an unset placeholder (empty hash) does not stop the server
    assertTrue(new ApiKeys(new SecurityProperties(false, Map.of("admin",
        new SecurityProperties.Key("", null, null, null)))).all().isEmpty());
  }

  @Test
  void eachPathNeedsItsScope() {
    assertEquals(Scope.SAMPLE, ScopeRules.required("GET", "/v1/models"));
    assertEquals(Scope.SAMPLE, ScopeRules.required("GET", "/v1/models/patterns"));
    assertEquals(Scope.SAMPLE, ScopeRules.required("POST", "/v1/models/patterns/samples"));
    assertEquals(Scope.SAMPLE, ScopeRules.required("GET", "/v1/jobs/abc"));
    assertEquals(Scope.SAMPLE, ScopeRules.required("GET", "/v1/jobs/abc/events"));
    assertEquals(Scope.SAMPLE, ScopeRules.required("DELETE", "/v1/jobs/abc"));
    for (String op : new String[] {"inpaint", "colorize", "interpolate", "encode", "decode", "likelihood"}) {
      assertEquals(Scope.OPERATE, ScopeRules.required("POST", "/v1/models/patterns/" + op));
    }
    assertEquals(Scope.OPERATE, ScopeRules.required("POST", "/v1/jobs"));
    assertEquals(Scope.OPERATE, ScopeRules.required("POST", "/v1/models/patterns/samples/"), "no near-misses");
    assertEquals(Scope.OPERATE, ScopeRules.required("GET", "/v1/anything"));
    assertEquals(Scope.ADMIN, ScopeRules.required("GET", "/actuator/env"));
    assertEquals(Scope.ADMIN, ScopeRules.required("GET", "/actuator/healthx"));
    for (String open : new String[] {"/actuator/health", "/actuator/health/liveness", "/actuator/health/readiness",
        "/actuator/prometheus", "/actuator/info", "/", "/index.html", "/app.js", "/swagger-ui/index.html",
        "/v3/api-docs", "/error"}) {
      assertNull(ScopeRules.required("GET", open), open);
    }
  }
}
