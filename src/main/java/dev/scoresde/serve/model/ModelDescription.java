package dev.scoresde.serve.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import dev.scoresde.checkpoint.DataShape;
import dev.scoresde.control.LatentInterpolation;
import dev.scoresde.likelihood.DivergenceEstimator;
import dev.scoresde.sampling.CorrectorKind;
import dev.scoresde.names.Names;
import dev.scoresde.sampling.PredictorKind;
import dev.scoresde.sampling.fast.TimeGridKind;
import dev.scoresde.sampling.settings.DdimSettings;
import dev.scoresde.sampling.settings.Endpoints;
import dev.scoresde.sampling.settings.HeunSettings;
import dev.scoresde.sampling.settings.SamplerFields;
import dev.scoresde.sampling.settings.SamplerKind;
import dev.scoresde.sde.Sde;
import dev.scoresde.serve.OperationKind;
import dev.scoresde.serve.ServeProperties;
import java.util.List;

/** The parts of GET /v1/models/{name} that describe a ready model, each filled from what owns it. */
public final class ModelDescription {
  private ModelDescription() {}

  /** The forward SDE: its kind, discretization steps N, prior standard deviation and sampling ε. */
  public record SdeFacts(String kind, int steps, double priorStd, double samplingEps) {
    public static SdeFacts of(Sde sde) {
      return new SdeFacts(sde.kind().id(), sde.steps(), sde.priorStd(), sde.samplingEps());
    }
  }

  /** One example's shape: image (channels × size × size, shown at originalSize) or vector. */
  public record ShapeFacts(String kind, int channels, int size, int originalSize, int dimension) {
    public static ShapeFacts of(DataShape s) {
      return new ShapeFacts(s.isImage() ? "image" : "vector", s.channels(), s.size(),
          s.isImage() && s.originalSize() > 0 ? s.originalSize() : s.size(), s.dimension());
    }
  }

  /**
   * What a request gets for every field it leaves out: the sampler fields ({@link SamplerFields#describe}) and
   * the guidance weights of the operations the model has.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record SamplerDefaults(@JsonUnwrapped SamplerFields sampler, Double classifierGuidanceScale,
      Double classifierFreeGuidanceWeight, Double measurementGuidanceWeight) {
    public static SamplerDefaults of(ServedModel m, ServeProperties props) {
      ServedModel.GuidanceDefaults g = m.guidance();
      return new SamplerDefaults(SamplerFields.describe(m.samplerSettings(null, props)),
          m.classifier() != null ? g.classifierScale() : null, m.conditional() != null ? g.classifierFreeWeight() : null,
          m.operations().contains(OperationKind.INPAINT) ? g.measurementWeight() : null);
    }
  }

  /** The names each field accepts and the [min, max] of each number, as this server and model allow them. */
  public record Allowed(List<String> samplers, List<String> predictors, List<String> correctors, List<Number> n,
      List<Number> steps, List<Number> snr, List<String> timeGrids, List<Number> eta, List<Number> churn,
      List<Number> temperature, List<Number> frames, List<Number> images, List<Number> probes,
      List<Number> guidance, List<String> guidanceModes, List<String> methods, List<String> estimators) {
    public static Allowed of(ServedModel m, ServeProperties props) {
      ServeProperties.Limits l = props.limits();
      return new Allowed(SamplerKind.ids(), Names.ids(PredictorKind.values()), Names.ids(CorrectorKind.values()),
          List.of(1, l.maxN()), List.of(2, l.maxSteps()), List.of(0, l.maxSnr()), Names.ids(TimeGridKind.values()),
          List.of(0, DdimSettings.MAX_ETA), List.of(0, HeunSettings.MAX_CHURN), List.of(0, Endpoints.MAX_TEMPERATURE),
          List.of(2, l.maxFrames()), List.of(1, l.maxImages()), List.of(1, l.maxProbes()), List.of(0, l.maxGuidance()),
          m.guidanceModes().stream().map(GuidanceMode::apiName).toList(), LatentInterpolation.Path.apiNames(),
          DivergenceEstimator.apiNames());
    }
  }
}
