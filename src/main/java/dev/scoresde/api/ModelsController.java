package dev.scoresde.api;

import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import dev.scoresde.serve.runtime.InferenceService;
import dev.scoresde.serve.model.ModelRegistry;
import dev.scoresde.serve.ServeProperties;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
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
    return registry.entries().stream().map(e -> Responses.Model.of(e, props)).toList();
  }

  @GetMapping("/v1/models/{name}")
  @Operation(summary = "Describe one model", description = "404 for an unknown name.")
  Responses.Model get(@Parameter(description = "model name", example = "patterns") @PathVariable String name) {
    return Responses.Model.of(registry.entry(name), props);
  }
}
