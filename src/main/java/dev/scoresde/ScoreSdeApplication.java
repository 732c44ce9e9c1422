package dev.scoresde;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** The score-sde server; the {@code train}, {@code evaluate} and {@code report} profiles run batch jobs instead. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class ScoreSdeApplication {

  public static void main(String[] args) {
    EngineSetup.offlineByDefault();
    SpringApplication app = new SpringApplication(ScoreSdeApplication.class);
    app.addListeners(new EngineSetup());
    app.run(args);
  }
}
