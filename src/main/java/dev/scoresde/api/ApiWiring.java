package dev.scoresde.api;

import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Contact;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.info.License;
import io.swagger.v3.oas.models.servers.Server;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.List;
import org.springdoc.core.customizers.OperationCustomizer;
import org.springdoc.core.utils.SpringDocUtils;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.servlet.HandlerMapping;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/** OpenAPI's header, the operations' {@link Delivery} parameter and the request counter by endpoint and outcome. */
@ConditionalOnWebApplication
@Configuration(proxyBeanMethods = false)
class ApiWiring implements WebMvcConfigurer {
  private final MeterRegistry meters;

  ApiWiring(MeterRegistry meters) {
    this.meters = meters;
  }

  @Bean
  OpenAPI scoreSdeOpenApi() {
    return new OpenAPI().info(new Info().title("score-sde").version("v1").description(
        "Score-based generative modeling through SDEs (Song et al., ICLR 2021) as a service: sampling (PC, "
            + "probability-flow ODE), class-conditional generation, inpainting, colorization, latent interpolation, "
            + "encoding/decoding and exact likelihoods. Errors are RFC 9457 problem details.")
        .license(new License().name("Apache License 2.0").identifier("Apache-2.0"))
        .contact(new Contact().name("score-sde maintainers")))
        // relative: the server that served this document, whatever host or proxy the client reached it through
        .servers(List.of(new Server().url("/").description("this server")));
  }

  /**
   * A job's {@code parameters} as what they are, any JSON object (the operation's body), not Jackson's JsonNode
   * bean (whose getters springdoc would list as properties, against which no example validates).
   */
  @Bean
  org.springdoc.core.customizers.OpenApiCustomizer jsonNodeDocs() {
    return api -> api.getComponents().addSchemas("JsonNode", new io.swagger.v3.oas.models.media.ObjectSchema()
        .description("a JSON object: the operation's body"));
  }

  /** The problem responses every operation can give, with one schema for them (ProblemDocs). */
  @Bean
  org.springdoc.core.customizers.OpenApiCustomizer problemDocs() {
    return new ProblemDocs();
  }

  /** Delivery's query parameters and header, documented as such rather than as one object. */
  @Bean
  OperationCustomizer deliveryDocs() {
    SpringDocUtils.getConfig().addRequestWrapperToIgnore(Delivery.class);
    return new DeliveryDocs();
  }

  @Override
  public void addArgumentResolvers(List<HandlerMethodArgumentResolver> resolvers) {
    resolvers.add(new DeliveryResolver());
  }

  @Override
  public void addInterceptors(InterceptorRegistry registry) {
    registry.addInterceptor(new HandlerInterceptor() {
      @Override
      public void afterCompletion(HttpServletRequest request, HttpServletResponse response, Object handler,
          Exception ex) {
        if (request.getDispatcherType() == jakarta.servlet.DispatcherType.ASYNC && !request.isAsyncStarted()
            || request.getDispatcherType() == jakarta.servlet.DispatcherType.REQUEST && !request.isAsyncStarted()) {
          Object pattern = request.getAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE);
          int status = response.getStatus();
          String outcome = status < 400 ? "success" : status < 500 ? "client_error" : "server_error";
          Counter.builder("scoresde.api.requests").description("API requests by endpoint and outcome")
              .tag("endpoint", request.getMethod() + " " + (pattern == null ? "unmatched" : pattern))
              .tag("outcome", outcome).tag("status", Integer.toString(status)).register(meters).increment();
        }
      }
    }).addPathPatterns("/v1/**");
  }
}
