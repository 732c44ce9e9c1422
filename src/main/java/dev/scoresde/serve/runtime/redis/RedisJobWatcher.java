package dev.scoresde.serve.runtime.redis;

import dev.scoresde.serve.runtime.Job;
import dev.scoresde.serve.runtime.JobListener;
import dev.scoresde.serve.runtime.JobStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Progress and ends of jobs watched on this replica, wherever they run: one thread reads every watched job's hash
 * each poll interval (one pipelined round trip) and tells each listener of new progress and, once, of the end. A
 * job taken again after its replica died starts over, so its progress may go back to a lower step.
 */
final class RedisJobWatcher implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RedisJobWatcher.class);

  private final RedisJobs redis;
  private final Map<Registration, Boolean> watches = new ConcurrentHashMap<>();
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "redis-job-watcher");
    t.setDaemon(true);
    return t;
  });

  /** One listener on one job, with what it was last told. */
  private final class Registration implements JobStore.Watch {
    final String id;
    final JobListener listener;
    dev.scoresde.sampling.SamplingListener.Progress told;
    Job last;

    Registration(Job job, JobListener listener) {
      this.id = job.id();
      this.listener = listener;
      this.last = job;
    }

    /** Tells what changed; returns whether the job has ended. */
    boolean update(Job j) {
      if (j == null || j.ended()) {
        listener.ended(j != null ? j : gone());
        return true;
      }
      last = j;
      if (j.progress() != null && !j.progress().equals(told)) {
        told = j.progress();
        listener.progress(told);
      }
      return false;
    }

    private Job gone() {
      return new Job(id, last.operation(), last.model(), last.owner(), last.created(), java.time.Instant.now(),
          dev.scoresde.serve.runtime.Execution.State.FAILED, last.progress(), "the job disappeared from the store");
    }

    @Override
    public void close() {
      watches.remove(this);
    }
  }

  RedisJobWatcher(RedisJobs redis, Duration poll) {
    this.redis = redis;
    timer.scheduleWithFixedDelay(this::poll, poll.toMillis(), poll.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Watches {@code job} (its current snapshot): its progress at once, its end at once if it has ended. */
  JobStore.Watch watch(Job job, JobListener listener) {
    Registration r = new Registration(job, listener);
    if (!r.update(job)) {
      watches.put(r, true);
    }
    return r;
  }

  private void poll() {
    List<Registration> now = new ArrayList<>(watches.keySet());
    if (now.isEmpty()) {
      return;
    }
    try {
      List<String> ids = now.stream().map(r -> r.id).distinct().toList();
      List<Job> jobs = redis.snapshots(ids);
      Map<String, Job> byId = new java.util.HashMap<>();
      for (int i = 0; i < ids.size(); i++) {
        byId.put(ids.get(i), jobs.get(i));
      }
      for (Registration r : now) {
        try {
          if (r.update(byId.get(r.id))) {
            watches.remove(r);
          }
        } catch (RuntimeException e) { // a listener whose client went away
          watches.remove(r);
        }
      }
    } catch (RuntimeException e) {
      LOG.warn("cannot read watched jobs from Redis: {}", Objects.toString(e.getMessage()));
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
