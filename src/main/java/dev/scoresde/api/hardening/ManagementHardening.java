package dev.scoresde.api.hardening;

import org.springframework.boot.actuate.autoconfigure.web.ManagementContextConfiguration;
import org.springframework.boot.actuate.autoconfigure.web.ManagementContextType;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.ConfigurationCondition;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * The separate management server ({@code management.server.port}, where the probes go) answers Tomcat's own errors
 * with problem documents too: its Tomcat is built in a child context that sees only beans of its own. Listed in
 * {@code META-INF/spring/…ManagementContextConfiguration.imports}; the condition keeps the component scan of the
 * main context from loading it a second time there.
 */
@ManagementContextConfiguration(value = ManagementContextType.CHILD, proxyBeanMethods = false)
@Conditional(ManagementHardening.InChildContext.class)
class ManagementHardening {

  @Bean
  TomcatHardening managementTomcatHardening() {
    return new TomcatHardening();
  }

  static final class InChildContext implements ConfigurationCondition {
    @Override
    public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
      return context.getBeanFactory() != null && context.getBeanFactory().getParentBeanFactory() != null;
    }

    @Override
    public ConfigurationPhase getConfigurationPhase() {
      return ConfigurationPhase.PARSE_CONFIGURATION;
    }
  }
}
