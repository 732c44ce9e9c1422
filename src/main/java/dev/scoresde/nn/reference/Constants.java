package dev.scoresde.nn.reference;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Constant arrays the modules would otherwise rebuild on every call (FIR filters, the layer-norm kernel's unit
 * scale and zero shift, 0-d scalars): made once per device and key, shared by every network, and kept for the
 * life of the JVM in a manager of their own — never in a model's weights manager, never closed, since autograd
 * may read them in a backward pass long after the call that used them. The keys are few (one per filter, channel
 * count and resolution in use), each array at most a few hundred KB.
 */
final class Constants {
  private static final Map<Device, NDManager> MANAGERS = new ConcurrentHashMap<>();
  private static final Map<String, NDArray> ARRAYS = new ConcurrentHashMap<>();

  private Constants() {}

  /** The constant named key on device, made by {@code make} in the constants' manager the first time. */
  static NDArray get(Device device, String key, Function<NDManager, NDArray> make) {
    return ARRAYS.computeIfAbsent(device + "/" + key,
        k -> make.apply(MANAGERS.computeIfAbsent(device, NDManager::newBaseManager)));
  }
}
