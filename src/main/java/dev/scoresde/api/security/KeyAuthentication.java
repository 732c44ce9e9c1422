package dev.scoresde.api.security;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/**
 * Who is calling: a configured key (by name), or, with keys off, the local user, who may do everything but is
 * anonymous for quotas (per client address) and metrics ({@code key="anonymous"}).
 */
final class KeyAuthentication extends AbstractAuthenticationToken {
  private final ApiKey key;

  private KeyAuthentication(ApiKey key, Set<Scope> scopes) {
    super(scopes.stream().map(s -> new SimpleGrantedAuthority(s.role())).toList());
    this.key = key;
    setAuthenticated(true);
  }

  static KeyAuthentication of(ApiKey key) {
    return new KeyAuthentication(key, key.scopes());
  }

  /** Keys off: every scope, no key. */
  static KeyAuthentication local() {
    return new KeyAuthentication(null, EnumSet.allOf(Scope.class));
  }

  /** The key, or null for the local user. */
  ApiKey key() {
    return key;
  }

  List<String> scopeIds() {
    return key == null ? List.of("admin") : key.scopes().stream().sorted().map(Scope::id).toList();
  }

  @Override
  public Object getCredentials() {
    return "";
  }

  @Override
  public Object getPrincipal() {
    return key == null ? "local" : key.name();
  }
}
