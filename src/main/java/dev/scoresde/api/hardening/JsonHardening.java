package dev.scoresde.api.hardening;

import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.module.SimpleModule;

/** The HTTP layer's JSON mapper: strict strings in requests ({@link StrictStrings}), scrubbed errors in responses. */
@ConditionalOnWebApplication
@Configuration(proxyBeanMethods = false)
class JsonHardening {

  @Bean
  JsonMapperBuilderCustomizer strictStringsAndScrubbedErrors() {
    return builder -> builder.addModule(new SimpleModule("score-sde-hardening")
        .addDeserializer(String.class, new StrictStrings())
        .setSerializerModifier(new ErrorStrings()));
  }
}
