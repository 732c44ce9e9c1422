package dev.scoresde.checkpoint.reference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.nn.Parameter;
import dev.scoresde.nn.reference.ReferenceConfig;
import dev.scoresde.nn.reference.ReferenceNetwork;
import dev.scoresde.nn.reference.ReferenceNetworks;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every config of the reference builds its network, or is refused with the reason the reference would fail. */
class ReferenceConfigsTest {

  static long parameterCount(ReferenceNetwork net) {
    return net.parameters().values().stream().mapToLong(p -> p.getShape().size()).sum();
  }

  @Test
  void everyConfigBuildsItsNetworkOrSaysWhyNot() {
    List<String> refused = new ArrayList<>();
    for (String name : ReferenceConfigs.names()) {
      try {
        ReferenceNetwork net = ReferenceNetworks.create(ReferenceConfigs.resolve(name, Map.of()));
        assertTrue(parameterCount(net) > 0, name);
      } catch (IllegalArgumentException e) {
        refused.add(name + ": " + e.getMessage());
      }
    }
    // the reference's own config bugs: ve/ncsn/celeba sets training.loss instead of training.sde; the bedroom
    // config's 'continuouse' typo leaves training.continuous true, so its float labels would index sigmas
    assertEquals(2, refused.size(), refused.toString());
    assertTrue(refused.get(0).startsWith("ve/ncsn/celeba: ") && refused.get(0).contains("training.sde"), refused.get(0));
    assertTrue(refused.get(1).startsWith("ve/ncsnv2/bedroom: "), refused.get(1));
    ReferenceConfigs.resolve("ve/ncsnv2/bedroom", Map.of("training.continuous", "false")).validate();
  }

  @Test
  void theFullSizeCifar10NcsnPlusPlusHasTheReferencesParameterCount() {
    ReferenceNetwork net = ReferenceNetworks.create(ReferenceConfigs.resolve("ve/cifar10_ncsnpp_continuous", Map.of()));
    assertEquals(62_758_915, parameterCount(net)); // counted by the reference itself (tools/reference-parity)
    Parameter w = net.parameters().get("all_modules.0.W");
    assertTrue(!w.requiresGradient(), "the Fourier layer's W is fixed");
  }

  @Test
  void publishedCheckpointNamesResolveToTheirConfigs() {
    ReferenceConfig ffhq = ReferenceConfigs.resolve("ve/ffhq_1024_ncsnpp_continuous", Map.of());
    assertEquals("ve/ffhq_ncsnpp_continuous", ffhq.name());
    assertEquals(1024, ffhq.data().imageSize());
    assertEquals("vp/ddpm/cifar10", ReferenceConfigs.resolve("vp/cifar10_ddpm", Map.of()).name());
    assertThrows(IllegalArgumentException.class, () -> ReferenceConfigs.resolve("ve/nope", Map.of()));
  }
}
