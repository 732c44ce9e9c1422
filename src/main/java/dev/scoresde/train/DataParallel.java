package dev.scoresde.train;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import dev.scoresde.tensor.Rng;
import dev.scoresde.tensor.Scalars;
import dev.scoresde.data.Batch;
import dev.scoresde.train.loss.TrainableNetwork;
import dev.scoresde.train.loss.TrainingLoss;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Synchronous data parallelism over the devices of one node. Device 0 holds the master weights (the
 * network's own parameters, which Adam, the EMA and checkpoints see); every other device holds a replica.
 * A step cuts the batch's B rows into contiguous slices, one per device, with the same rows' random
 * streams ({@link Rng#slice}), so each row draws the same times and noise whatever the device count. Slice
 * d's loss (a mean over its b_d rows) is scaled by b_d/B, so the slices' losses add up to the full batch's
 * mean and their gradients to its gradient. All slices' backward passes run under the caller's one
 * GradientCollector; {@link #reduceGradients} sums the replicas' gradients onto device 0, the caller
 * takes one optimizer step there, and {@link #broadcast} copies the new weights to the replicas.
 *
 * <p>With one device there are no replicas and {@link #forwardBackward} is exactly the single-device step.
 * The same device may be listed twice (replicas on the CPU), which is how the split is tested here.
 */
public final class DataParallel {
  private final List<Device> devices;
  private final TrainableNetwork master;
  private final List<Parameter> trainable; // the master's parameters that take gradients, in block order
  private final List<Replica> replicas; // devices 1..n-1

  /** One device's copy of the trainable weights, served to the network by its own parameter store. */
  private static final class Replica {
    final Device device;
    final NDManager manager;
    final Map<String, NDArray> arrays = new HashMap<>(); // by parameter id, shaped like the master's
    final TrainableNetwork net;

    Replica(Device device, NDManager manager, TrainableNetwork master) {
      this.device = device;
      this.manager = manager;
      ParameterStore store = new ParameterStore(manager, false) {
        @Override
        public NDArray getValue(Parameter p, Device d, boolean training) {
          NDArray a = p == null ? null : arrays.get(p.getId());
          // frozen parameters (never updated) are shared with the master when they live on its device
          return a != null ? a : p == null ? null : frozen(p, d);
        }
      };
      net = new TrainableNetwork(master.network(), master.spec(), master.sde(), store);
    }

    private NDArray frozen(Parameter p, Device d) {
      NDArray a = p.getArray();
      if (a.getDevice().equals(d)) {
        return a;
      }
      NDArray copy = copyOf(a, device, manager, false);
      arrays.put(p.getId(), copy);
      return copy;
    }
  }

  /**
   * @param devices the devices, master first; one device means plain single-device training
   * @param master the network in training mode with its parameters on {@code devices.get(0)}
   * @param manager the run's long-lived manager; replicas live in sub-managers of it
   */
  public DataParallel(List<Device> devices, TrainableNetwork master, NDManager manager) {
    if (devices.isEmpty()) {
      throw new IllegalArgumentException("data parallel training needs at least one device");
    }
    this.devices = List.copyOf(devices);
    this.master = master;
    this.trainable = new ArrayList<>();
    for (Pair<String, Parameter> p : master.network().getParameters()) {
      if (p.getValue().getArray().hasGradient()) {
        trainable.add(p.getValue());
      }
    }
    this.replicas = new ArrayList<>();
    for (Device d : this.devices.subList(1, this.devices.size())) {
      replicas.add(new Replica(d, manager.newSubManager(d), master));
    }
    broadcast();
  }

  public List<Device> devices() {
    return devices;
  }

  /**
   * Forward and backward of one batch under the open collector {@code gc}.
   *
   * @param batch x (batch, ...) and labels (batch) or null, on device 0
   * @param rng one stream per batch row
   * @param scope the step's manager: the slices and everything computed from them live in sub-managers of it
   * @return the loss of the whole batch (the mean over its rows)
   */
  public double forwardBackward(GradientCollector gc, TrainingLoss loss, Batch batch, Rng rng, NDManager scope) {
    if (replicas.isEmpty()) {
      NDArray value = loss.loss(master, batch, rng);
      gc.backward(value);
      return value.getFloat();
    }
    int rows = batch.size();
    int[] bounds = bounds(rows, devices.size());
    List<NDArray> parts = new ArrayList<>(devices.size());
    for (int d = 0; d < devices.size(); d++) {
      int from = bounds[d];
      int to = bounds[d + 1];
      if (from == to) {
        continue; // fewer rows than devices
      }
      Device device = devices.get(d);
      NDManager local = scope.newSubManager(device);
      Batch slice = new Batch(move(batch.x().get(from + ":" + to), device, local),
          batch.labels() == null ? null : move(batch.labels().get(from + ":" + to), device, local));
      TrainableNetwork net = d == 0 ? master : replicas.get(d - 1).net;
      // b_d/B: the slices' row means add up to the full batch's row mean
      NDArray part = Scalars.mul(loss.loss(net, slice, rng.slice(from, to)), (float) (to - from) / rows);
      // one backward per slice: DJL's toDevice runs without autograd, so a cross-device sum of the slices'
      // losses would not carry gradients back to the replicas
      gc.backward(part);
      parts.add(part);
    }
    double sum = 0;
    for (NDArray part : parts) {
      sum += part.getFloat();
    }
    return sum;
  }

  /** Adds every replica's gradients to the master's (on device 0); temporary arrays go to {@code scope}. */
  public void reduceGradients(NDManager scope) {
    if (replicas.isEmpty()) {
      return;
    }
    Device first = devices.get(0);
    for (Parameter p : trainable) {
      NDArray sum = p.getArray().getGradient(); // the master's gradient storage, updated in place
      sum.attach(scope);
      for (Replica r : replicas) {
        NDArray g = r.arrays.get(p.getId()).getGradient();
        g.attach(scope);
        NDArray moved = g.toDevice(first, false);
        moved.attach(scope);
        sum.addi(moved);
      }
    }
  }

  /** Copies the master's trainable weights to every replica as fresh leaves with no gradient yet. */
  public void broadcast() {
    for (Replica r : replicas) {
      for (Parameter p : trainable) {
        NDArray old = r.arrays.put(p.getId(), copyOf(p.getArray(), r.device, r.manager, true));
        if (old != null) {
          old.close();
        }
      }
    }
  }

  /** The row bounds of n contiguous slices of B rows, the first B mod n one row longer: (n + 1). */
  static int[] bounds(int rows, int n) {
    int[] b = new int[n + 1];
    for (int d = 0; d < n; d++) {
      b[d + 1] = b[d] + rows / n + (d < rows % n ? 1 : 0);
    }
    return b;
  }

  private static NDArray move(NDArray a, Device device, NDManager scope) {
    NDArray out = a.toDevice(device, false);
    out.attach(scope);
    return out;
  }

  /** A detached copy of {@code a} on {@code device}, optionally a leaf that takes gradients. */
  private static NDArray copyOf(NDArray a, Device device, NDManager manager, boolean gradient) {
    NDArray copy;
    if (a.getDevice().equals(device)) {
      copy = a.duplicate(); // duplicate runs without autograd: a new leaf
    } else {
      try (NDArray detached = a.stopGradient()) {
        copy = detached.toDevice(device, true);
      }
    }
    copy.attach(manager);
    if (gradient) {
      copy.setRequiresGradient(true);
    }
    return copy;
  }
}
