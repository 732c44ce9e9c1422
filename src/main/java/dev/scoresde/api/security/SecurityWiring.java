package dev.scoresde.api.security;

import dev.scoresde.api.hardening.Problems;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.DispatcherType;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.authorization.AuthorizationManager;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.access.ExceptionTranslationFilter;
import org.springframework.security.web.access.intercept.RequestAuthorizationContext;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;
import org.springframework.security.web.firewall.RequestRejectedHandler;
import org.springframework.security.web.header.HeaderWriterFilter;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter.ReferrerPolicy;

/**
 * The one security filter chain, with keys on or off: security headers, the origin check ({@link OriginFilter}),
 * the key ({@link ApiKeyFilter}), quotas ({@link QuotaFilter}), then the scope each path needs
 * ({@link ScopeRules}). No sessions, no cookies, no CSRF tokens (a key is sent on every request, never by the
 * browser on its own; the origin check stops cross-site forms). 401/403 are problem documents.
 */
@ConditionalOnWebApplication
@Configuration(proxyBeanMethods = false)
class SecurityWiring {
  /**
   * Lets Swagger UI (its own scripts and styles, inline style attributes, data: icons) and a same-origin page that
   * shows the API's PNGs (data: and blob: URLs) work, and nothing from elsewhere.
   */
  static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
      + "img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; object-src 'none'; "
      + "base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

  @Bean
  ApiKeys apiKeys(SecurityProperties props) {
    return new ApiKeys(props);
  }

  /** The schemes, each operation's scope and the 401/403/429 answers in the OpenAPI document. */
  @Bean
  SecurityDocs securityDocs(SecurityProperties security, QuotaProperties quota) {
    return new SecurityDocs(security.enabled(), quota.enabled());
  }

  @Bean
  Quotas quotas(QuotaProperties props) {
    return new Quotas(props);
  }

  @Bean
  SecurityFilterChain apiSecurity(HttpSecurity http, SecurityProperties security, ApiKeys keys, CorsProperties cors,
      QuotaProperties quota, Quotas quotas, MeterRegistry meters) throws Exception {
    http.csrf(AbstractHttpConfigurer::disable)
        .httpBasic(AbstractHttpConfigurer::disable)
        .formLogin(AbstractHttpConfigurer::disable)
        .logout(AbstractHttpConfigurer::disable)
        .requestCache(AbstractHttpConfigurer::disable)
        .cors(AbstractHttpConfigurer::disable)
        .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
        .headers(h -> h.contentSecurityPolicy(c -> c.policyDirectives(CSP))
            .referrerPolicy(r -> r.policy(ReferrerPolicy.NO_REFERRER))
            .frameOptions(f -> f.deny()))
        .exceptionHandling(e -> e.authenticationEntryPoint(entryPoint()).accessDeniedHandler(accessDenied()))
        .addFilterAfter(new OriginFilter(cors), HeaderWriterFilter.class)
        .addFilterBefore(new ApiKeyFilter(keys, security.enabled()), AnonymousAuthenticationFilter.class)
        .addFilterBefore(new QuotaFilter(quota, quotas, new KeyMetrics(meters)), ExceptionTranslationFilter.class)
        .authorizeHttpRequests(a -> a.dispatcherTypeMatchers(DispatcherType.ERROR, DispatcherType.ASYNC).permitAll()
            .anyRequest().access(scopes()));
    return http.build();
  }

  static AuthorizationManager<RequestAuthorizationContext> scopes() {
    return (authentication, context) -> {
      Scope need = ScopeRules.required(context.getRequest());
      if (need == null) {
        return new AuthorizationDecision(true);
      }
      Authentication a = authentication.get();
      return new AuthorizationDecision(a instanceof KeyAuthentication && a.getAuthorities()
          .contains(new SimpleGrantedAuthority(need.role())));
    };
  }

  /** No key (or an anonymous caller where one is needed): 401 with {@code WWW-Authenticate: Bearer}. */
  static AuthenticationEntryPoint entryPoint() {
    return (request, response, e) -> {
      response.setHeader("WWW-Authenticate", ApiKeyFilter.CHALLENGE);
      Problems.write(response, 401, "unauthorized", "Unauthorized", "this endpoint needs an API key: send "
          + "Authorization: Bearer <key> or " + ApiKeyFilter.HEADER + ": <key>", request.getRequestURI());
    };
  }

  /** A key without the scope the path needs: 403 naming both. */
  static AccessDeniedHandler accessDenied() {
    return (request, response, e) -> {
      Authentication a = org.springframework.security.core.context.SecurityContextHolder.getContext()
          .getAuthentication();
      Scope need = ScopeRules.required(request);
      String who = a instanceof KeyAuthentication k && !(a instanceof AnonymousAuthenticationToken)
          ? "key '" + a.getName() + "' has scopes " + k.scopeIds() : "the caller has no scope";
      Problems.write(response, 403, "forbidden", "Forbidden", who + "; " + request.getMethod() + " "
          + ScopeRules.path(request) + " needs " + (need == null ? "none" : need.id()), request.getRequestURI());
    };
  }

  /** URLs Spring Security's firewall refuses (encoded '.', '%', ';', '//'…): a 400 problem, not an HTML page. */
  @Bean
  RequestRejectedHandler problemRequestRejectedHandler() {
    return (request, response, e) -> Problems.write(response, 400, "bad-request", "Bad Request",
        "the URL is not allowed: " + e.getMessage(), null);
  }
}
