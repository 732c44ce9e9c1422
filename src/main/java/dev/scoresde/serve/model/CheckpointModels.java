package dev.scoresde.serve.model;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.scoresde.score.TimeDependentClassifier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import dev.scoresde.checkpoint.CheckpointStore;
import dev.scoresde.checkpoint.LoadedModel;
import dev.scoresde.checkpoint.ModelCard;
import dev.scoresde.score.ConditionalScoreModel;
import dev.scoresde.score.NetworkScoreModel;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** Served models from checkpoint folders: the card's SDE, shape and classes around the EMA network. */
final class CheckpointModels {
  private static final Logger LOG = LoggerFactory.getLogger(CheckpointModels.class);

  private CheckpointModels() {}

  static ServedModel load(String name, Path folder, Path classifierFolder, String device, CheckpointStore store)
      throws IOException {
    return load(name, folder, classifierFolder, device, ServedModel.GuidanceDefaults.PAPER, store);
  }

  static ServedModel load(String name, Path folder, Path classifierFolder, String device,
      ServedModel.GuidanceDefaults guidance, CheckpointStore store) throws IOException {
    if (folder == null) {
      throw new IOException("no folder configured (score-sde.models." + name + ".folder)");
    }
    NDManager manager = NDManager.newBaseManager(device(device));
    try {
      LoadedModel loaded = store.load(folder, manager);
      ModelCard card = loaded.card();
      if (card.isClassifier()) {
        throw new IOException(loaded.folder() + " holds a classifier, not a score model");
      }
      NetworkScoreModel score = loaded.scoreModel();
      int k = card.network().numClasses();
      ConditionalScoreModel conditional = k == 0 ? null : new ConditionalScoreModel() {
        @Override
        public int numClasses() {
          return k;
        }

        @Override
        public NDArray score(NDArray x, NDArray t, NDArray labels) {
          return score.withLabels(labels).score(x, t);
        }
      };
      Map<String, Object> details = new LinkedHashMap<>();
      TimeDependentClassifier classifier = null;
      java.util.List<String> classNames = card.classNames();
      if (classifierFolder != null) {
        try {
          LoadedModel guide = store.load(classifierFolder, manager);
          classifier = classifier(guide, k == 0 ? -1 : k);
          if (k == 0) {
            // An unconditional model (e.g. the VE NCSN++) learns no classes: they are the classifier's.
            classNames = guide.card().classNames();
          }
          details.put("classifier", classifierFolder.toString());
        } catch (IOException | RuntimeException e) {
          LOG.error("model '{}': classifier {} not loaded, serving without classifier guidance: {}", name,
              classifierFolder, e.getMessage());
          details.put("classifier", "failed: " + e.getMessage());
        }
      }
      details.put("folder", loaded.folder().toString());
      details.put("architecture", card.network().architecture().id());
      details.put("provenance", card.provenance());
      details.put("emaRate", card.emaRate());
      if (card.importedFrom() != null) {
        details.put("importedFrom", card.importedFrom());
      }
      return new ServedModel(name, "checkpoint", card.name(), card.sde().toSde(), card.data(), card.valueRange(),
          k == 0 && classifier == null ? java.util.List.of() : classNames, score, conditional, classifier,
          manager, details, guidance);
    } catch (IOException | RuntimeException e) {
      manager.close();
      throw e;
    }
  }

  /** A classifier checkpoint for a score model with {@code classes} classes (−1: any number). */
  static TimeDependentClassifier classifier(LoadedModel loaded, int classes) {
    if (classes >= 0 && loaded.card().isClassifier() && loaded.card().network().numClasses() != classes) {
      throw new IllegalArgumentException("the classifier has " + loaded.card().network().numClasses()
          + " classes, the model " + classes);
    }
    return loaded.classifier();
  }

  static Device device(String name) {
    Device d = Device.fromName(name);
    if (d.isGpu() && d.getDeviceId() >= Engine.getInstance().getGpuCount()) {
      throw new IllegalArgumentException("device " + name + " requested but the engine sees "
          + Engine.getInstance().getGpuCount() + " GPUs");
    }
    return d;
  }
}
