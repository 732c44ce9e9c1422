package dev.scoresde.checkpoint.job;

import dev.scoresde.checkpoint.reference.DiffusersImport;
import dev.scoresde.checkpoint.reference.ReferenceCheckpoint;
import dev.scoresde.checkpoint.reference.ReferenceConfigs;
import dev.scoresde.checkpoint.reference.ReferenceImport;
import dev.scoresde.cli.Options;
import dev.scoresde.nn.reference.ReferenceConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.context.annotation.Profile;
import org.springframework.stereotype.Component;

/**
 * {@code java -jar target/score-sde.jar --spring.profiles.active=import --checkpoint=checkpoint_24.pth
 * --config=ve/cifar10_ncsnpp_continuous --out=models/cifar10-ncsnpp-ve [--model.nf=… --data.image_size=…
 * --training.continuous=…] [--name=…] [--weights=ema|model]}: imports a checkpoint of the reference
 * implementation into a model folder the server serves (docs/importing.md). Without {@code --config}, the
 * options must give the whole configuration. {@code --diffusers=DIR --out=DIR [--name=…]} imports a Hugging
 * Face diffusers UNet2DModel instead ({@link DiffusersImport}).
 */
@Component
@Profile("import")
class ImportRunner implements ApplicationRunner {
  private static final Logger LOG = LoggerFactory.getLogger(ImportRunner.class);

  @Override
  public void run(ApplicationArguments args) {
    Options o = new Options(args);
    if (o.has("diffusers")) {
      importDiffusers(o);
      return;
    }
    if (!o.has("checkpoint") || !o.has("out")) {
      throw new IllegalArgumentException("--checkpoint=FILE.pth (or --diffusers=DIR) and --out=DIR are required; "
          + "--config=NAME names the "
          + "reference config, one of " + ReferenceConfigs.names());
    }
    Map<String, String> overrides = new TreeMap<>();
    for (String name : args.getOptionNames()) {
      if (name.startsWith("model.") || name.startsWith("data.") || name.startsWith("training.")) {
        overrides.put(name, o.text(name, ""));
      }
    }
    String configName = o.text("config", null);
    ReferenceConfig config = ReferenceConfigs.resolve(configName, overrides);
    ReferenceCheckpoint.Weights weights = switch (o.text("weights", "ema").toLowerCase(Locale.ROOT)) {
      case "ema" -> ReferenceCheckpoint.Weights.EMA;
      case "model" -> ReferenceCheckpoint.Weights.MODEL;
      default -> throw new IllegalArgumentException("--weights must be ema or model");
    };
    try {
      ReferenceImport.Result r = ReferenceImport.run(o.path("checkpoint", null), config, overrides,
          o.path("out", null), o.text("name", null), weights);
      LOG.info("imported {} ({} parameters, {} values, step {}, EMA decay {}) as '{}' into {}",
          o.path("checkpoint", null), r.contents().parameters(), r.parameterCount(), r.contents().step(),
          r.contents().emaDecay(), r.card().name(), r.folder());
      System.out.println(r.folder());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code --diffusers=DIR --out=DIR [--name=…]}: a diffusers UNet2DModel (pipeline or UNet folder). */
  private static void importDiffusers(Options o) {
    if (!o.has("out")) {
      throw new IllegalArgumentException("--diffusers=DIR needs --out=DIR");
    }
    try {
      DiffusersImport.Result r = DiffusersImport.run(o.path("diffusers", null), o.path("out", null),
          o.text("name", null));
      LOG.info("imported diffusers UNet {} ({} tensors, {} values) as the reference's {} with {} as '{}' into {}",
          o.path("diffusers", null), r.tensors(), r.parameterCount(), r.config().template(), r.config().overrides(),
          r.card().name(), r.folder());
      System.out.println(r.folder());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
