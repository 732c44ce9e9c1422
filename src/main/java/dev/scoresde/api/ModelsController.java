package dev.scoresde.api;

import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import dev.scoresde.checkpoint.DataShape;
import dev.scoresde.sampling.SamplerSettings;
import dev.scoresde.serve.InferenceService;
import dev.scoresde.serve.ModelRegistry;
import dev.scoresde.serve.OperationKind;
import dev.scoresde.serve.SamplerRequest;
import dev.scoresde.serve.ServeProperties;
import dev.scoresde.serve.ServedModel;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

@ConditionalOnWebApplication
@RestController
@Tag(name = "models", description = "The served models")
class ModelsController {
  private final ModelRegistry registry;
  private final ServeProperties props;

  ModelsController(ModelRegistry registry, InferenceService inference) {
    this.registry = registry;
    this.props = inference.properties();
  }

  @GetMapping("/v1/models")
  @Operation(summary = "List the models", description = "Every configured model with its status (loading, ready, "
      + "failed, disabled), SDE, data shape, value range, classes, operations and sampler settings.")
  List<Responses.Model> list() {
    return registry.entries().stream().map(this::view).toList();
  }

  @GetMapping("/v1/models/{name}")
  @Operation(summary = "Describe one model", description = "404 for an unknown name.")
  Responses.Model get(@Parameter(description = "model name", example = "patterns") @PathVariable String name) {
    return view(registry.entry(name));
  }

  private Responses.Model view(ModelRegistry.Entry e) {
    String status = e.status().name().toLowerCase(Locale.ROOT);
    ServedModel m = e.model();
    if (m == null) {
      return new Responses.Model(e.name(), e.kind(), status, e.error(), null, null, null, null, null, null, null, null,
          null);
    }
    SamplerSettings d = SamplerRequest.defaults().toSettings(m, props);
    Map<String, Object> sde = new LinkedHashMap<>();
    sde.put("kind", m.sde().kind().id());
    sde.put("steps", m.sde().steps());
    sde.put("priorStd", m.sde().priorStd());
    sde.put("samplingEps", m.sde().samplingEps());
    DataShape s = m.shape();
    Map<String, Object> shape = new LinkedHashMap<>();
    shape.put("kind", s.isImage() ? "image" : "vector");
    shape.put("channels", s.channels());
    shape.put("size", s.size());
    shape.put("originalSize", s.isImage() && s.originalSize() > 0 ? s.originalSize() : s.size());
    shape.put("dimension", s.dimension());
    Map<String, Object> defaults = new LinkedHashMap<>();
    defaults.put("sampler", d.sampler().id());
    defaults.put("predictor", d.predictor().id());
    defaults.put("corrector", d.corrector().id());
    defaults.put("steps", d.steps());
    defaults.put("snr", d.snr());
    defaults.put("correctorSteps", d.correctorSteps());
    defaults.put("rtol", d.rtol());
    defaults.put("atol", d.atol());
    defaults.put("eps", d.eps());
    defaults.put("timeGrid", d.timeGrid().id());
    defaults.put("eta", d.eta());
    defaults.put("churn", d.churn());
    defaults.put("temperature", d.temperature());
    if (m.classifier() != null) {
      defaults.put("classifierGuidanceScale", m.guidance().classifierScale());
    }
    if (m.conditional() != null) {
      defaults.put("classifierFreeGuidanceWeight", m.guidance().classifierFreeWeight());
    }
    if (m.operations().contains(OperationKind.INPAINT)) {
      defaults.put("measurementGuidanceWeight", m.guidance().measurementWeight());
    }
    ServeProperties.Limits l = props.limits();
    Map<String, Object> allowed = new LinkedHashMap<>();
    allowed.put("samplers", SamplerRequest.samplers());
    allowed.put("predictors", SamplerRequest.predictors());
    allowed.put("correctors", SamplerRequest.correctors());
    allowed.put("n", List.of(1, l.maxN()));
    allowed.put("steps", List.of(2, l.maxSteps()));
    allowed.put("snr", List.of(0, l.maxSnr()));
    allowed.put("timeGrids", SamplerRequest.timeGrids());
    allowed.put("eta", List.of(0, 1));
    allowed.put("churn", List.of(0, SamplerSettings.MAX_CHURN));
    allowed.put("temperature", List.of(0, SamplerRequest.MAX_TEMPERATURE));
    allowed.put("frames", List.of(2, l.maxFrames()));
    allowed.put("images", List.of(1, l.maxImages()));
    allowed.put("probes", List.of(1, l.maxProbes()));
    allowed.put("guidance", List.of(0, l.maxGuidance()));
    allowed.put("guidanceModes", m.conditional() != null && m.classifier() != null
        ? List.of("classifier-free", "classifier") : m.conditional() != null ? List.of("classifier-free")
        : m.classifier() != null ? List.of("classifier") : List.of());
    allowed.put("methods", List.of("slerp", "linear"));
    allowed.put("estimators", List.of("rademacher", "gaussian", "exact"));
    return new Responses.Model(e.name(), e.kind(), status, null, m.description(), sde, shape,
        List.of(m.range().min(), m.range().max()), m.classNames(),
        m.operations().stream().map(OperationKind::id).toList(), defaults, allowed, m.details());
  }
}
