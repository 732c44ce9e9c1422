package dev.scoresde.serve.runtime.redis;

import dev.scoresde.serve.ServeProperties;
import dev.scoresde.serve.runtime.InferenceService;
import dev.scoresde.serve.runtime.JobsProperties;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

/** The Redis job store and this replica's worker, with {@code score-sde.jobs.store=redis} (connection: spring.data.redis.*). */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication
@ConditionalOnProperty(name = "score-sde.jobs.store", havingValue = "redis")
class RedisJobsWiring {

  @Bean
  RedisJobs redisJobs(RedisConnectionFactory connections, JobsProperties jobs) {
    return new RedisJobs(new StringRedisTemplate(connections), new RedisKeys(jobs.redis().keyPrefix()));
  }

  @Bean(destroyMethod = "close")
  RedisJobWatcher redisJobWatcher(RedisJobs redis, JobsProperties jobs) {
    return new RedisJobWatcher(redis, jobs.redis().poll());
  }

  @Bean
  RedisJobStore redisJobStore(RedisJobs redis, InferenceService inference, ServeProperties props,
      RedisJobWatcher watcher) {
    return new RedisJobStore(redis, inference::validate, props, watcher);
  }

  /** Depends on the inference service, so it is closed first: held jobs go back to the queue before it stops. */
  @Bean(destroyMethod = "close")
  RedisJobWorker redisJobWorker(RedisJobs redis, InferenceService inference, ServeProperties props,
      JobsProperties jobs) {
    return new RedisJobWorker(redis, inference, props, jobs.redis());
  }
}
