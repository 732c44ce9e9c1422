package dev.scoresde.checkpoint;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.scoresde.tensor.ValueRange;
import dev.scoresde.nn.Architecture;
import dev.scoresde.nn.NetworkSpec;
import java.util.List;

/**
 * What a model folder holds ({@code model.json}): everything needed to rebuild the network and serve it.
 *
 * @param formatVersion the layout version of the folder (1)
 * @param name a human name for the model
 * @param sde the forward SDE the network was trained for
 * @param network the architecture
 * @param data the example shape (with the original size when padded)
 * @param valueRange the interval data values live in
 * @param classNames class names by label, empty when unconditional
 * @param emaRate the EMA rate of the served weights
 * @param provenance dataset, objective, steps, time, loss
 * @param importedFrom the source checkpoint of an imported model, null (and not written) for models trained here
 */
public record ModelCard(int formatVersion, String name, SdeSpec sde, NetworkSpec network, DataShape data,
    ValueRange valueRange, List<String> classNames, double emaRate, Provenance provenance,
    @JsonInclude(JsonInclude.Include.NON_NULL) ImportedFrom importedFrom) {

  public static final int FORMAT_VERSION = 1;

  public ModelCard {
    classNames = classNames == null ? List.of() : List.copyOf(classNames);
  }

  /** The card of a model trained by this project. */
  public ModelCard(int formatVersion, String name, SdeSpec sde, NetworkSpec network, DataShape data,
      ValueRange valueRange, List<String> classNames, double emaRate, Provenance provenance) {
    this(formatVersion, name, sde, network, data, valueRange, classNames, emaRate, provenance, null);
  }

  /** True for a noise-conditional classifier, false for a score network. */
  public boolean isClassifier() {
    return network.architecture() == Architecture.CLASSIFIER;
  }
}
