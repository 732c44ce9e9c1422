package dev.scoresde.api.hardening;

import org.apache.catalina.Container;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.Lifecycle;
import org.apache.catalina.Valve;
import org.apache.catalina.valves.ErrorReportValve;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.core.Ordered;
import org.springframework.stereotype.Component;

/**
 * Tomcat answers its own errors with {@link ProblemErrorReportValve}: every other error report valve of the host
 * (Spring Boot adds one) is replaced just before the host starts, after every customizer has run. The timeouts
 * and connection limits are plain properties ({@code server.tomcat.*}, application.yml).
 */
@ConditionalOnWebApplication
@ConditionalOnClass(TomcatServletWebServerFactory.class)
@Component
class TomcatHardening implements WebServerFactoryCustomizer<TomcatServletWebServerFactory>, Ordered {

  @Override
  public void customize(TomcatServletWebServerFactory factory) {
    factory.addContextCustomizers(context -> {
      Container parent = context.getParent();
      if (parent instanceof StandardHost host) {
        host.setErrorReportValveClass(ProblemErrorReportValve.class.getName());
        host.addLifecycleListener(event -> {
          if (Lifecycle.BEFORE_START_EVENT.equals(event.getType())) {
            useProblemValve(host);
          }
        });
      }
    });
  }

  static void useProblemValve(StandardHost host) {
    for (Valve v : host.getPipeline().getValves()) {
      if (v instanceof ErrorReportValve && !(v instanceof ProblemErrorReportValve)) {
        host.getPipeline().removeValve(v);
      }
    }
  }

  @Override
  public int getOrder() {
    return Ordered.LOWEST_PRECEDENCE;
  }
}
