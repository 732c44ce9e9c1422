# score-sde server and batch jobs (train, generate) in one image.
#
#   docker build -t score-sde .                                   # CPU: libtorch from the build's own jar
#   docker build -t score-sde:cu128 --build-arg PYTORCH_FLAVOR=cu128 .   # GPU: CUDA 12.8 libtorch 2.7.1
#
# Build arguments
#   PYTORCH_FLAVOR   cpu (default) or a CUDA flavour of libtorch, e.g. cu128. DJL's pytorch-jni jar already holds
#                    the JNI for cpu and cu128, so this must be one of those two.
#   PYTORCH_VERSION  the libtorch version DJL's JNI was built for (2.7.1; do not change without the POM).
#   LIBTORCH_URL     where a non-cpu flavour's libtorch zip comes from (downloaded at build time only); point it at a
#                    mirror if the default is not reachable.
# Either way the runtime finds libtorch through PYTORCH_LIBRARY_PATH=/opt/libtorch/lib and the JNI library in the
# pre-filled DJL cache, with ai.djl.offline=true: nothing is downloaded when a container starts. A GPU container
# then needs only the host's driver (NVIDIA Container Toolkit: docker run --gpus all, or nvidia.com/gpu in
# Kubernetes); the code is the same, DJL picks gpu(0) as its default device.
ARG PYTORCH_FLAVOR=cpu
ARG PYTORCH_VERSION=2.7.1
ARG LIBTORCH_URL=https://download.pytorch.org/libtorch/${PYTORCH_FLAVOR}/libtorch-cxx11-abi-shared-with-deps-${PYTORCH_VERSION}%2B${PYTORCH_FLAVOR}.zip

# ---- 1. build the jar and split it into Spring Boot layers
FROM eclipse-temurin:17-jdk AS build
WORKDIR /src
COPY .mvn/ .mvn/
COPY mvnw pom.xml ./
COPY src/main/ src/main/
RUN ./mvnw -B -q -DskipTests package \
 && java -Djarmode=tools -jar target/score-sde.jar extract --layers --destination /layers \
 && mkdir /native \
 && mv /layers/dependencies/lib/pytorch-native-cpu-*.jar /native/ \
 && cp /layers/dependencies/lib/pytorch-jni-*.jar /layers/dependencies/lib/pytorch-engine-*.jar /native/

# ---- 2. libtorch for the chosen flavour, and DJL's JNI library pre-extracted into the cache it looks in
FROM eclipse-temurin:17-jdk AS libtorch
ARG PYTORCH_FLAVOR
ARG PYTORCH_VERSION
ARG LIBTORCH_URL
COPY --from=build /native/ /native/
RUN set -eu; \
    mkdir -p /opt/libtorch/lib /tmp/x; cd /tmp/x; \
    if [ "$PYTORCH_FLAVOR" = cpu ]; then \
      jar xf /native/pytorch-native-cpu-*.jar pytorch/cpu/linux-x86_64/; \
      mv pytorch/cpu/linux-x86_64/* /opt/libtorch/lib/; \
    else \
      apt-get update -q && apt-get install -y -q --no-install-recommends curl unzip; \
      curl -fSL --retry 3 -o libtorch.zip "$LIBTORCH_URL"; \
      unzip -q libtorch.zip 'libtorch/lib/*'; \
      mv libtorch/lib/* /opt/libtorch/lib/; \
    fi; \
    djl=$(ls /native/pytorch-engine-*.jar | sed 's/.*pytorch-engine-\(.*\)\.jar/\1/'); \
    cache=/opt/djl-cache/pytorch/${PYTORCH_VERSION}-${PYTORCH_FLAVOR}-linux-x86_64; \
    mkdir -p "$cache"; \
    jar xf /native/pytorch-jni-*.jar "jnilib/linux-x86_64/${PYTORCH_FLAVOR}/libdjl_torch.so"; \
    mv "jnilib/linux-x86_64/${PYTORCH_FLAVOR}/libdjl_torch.so" "$cache/${djl}-libdjl_torch.so"; \
    rm -rf /tmp/x

# ---- 3. the runtime: JRE, non-root, layers from least to most often changed
FROM eclipse-temurin:17-jre
ARG PYTORCH_FLAVOR
ARG PYTORCH_VERSION
RUN apt-get update -q && apt-get install -y -q --no-install-recommends curl && rm -rf /var/lib/apt/lists/* \
 && groupadd --system --gid 10001 scoresde \
 && useradd --system --uid 10001 --gid scoresde --home-dir /app --no-create-home --shell /usr/sbin/nologin scoresde \
 && mkdir -p /models /samples && chown 10001:10001 /models /samples
COPY --from=libtorch /opt/libtorch/ /opt/libtorch/
COPY --from=libtorch --chown=10001:10001 /opt/djl-cache/ /opt/djl-cache/
WORKDIR /app
COPY --from=build /layers/dependencies/ ./
COPY --from=build /layers/spring-boot-loader/ ./
COPY --from=build /layers/snapshot-dependencies/ ./
COPY --from=build /layers/application/ ./
COPY jobs/ ./jobs/
ENV PYTORCH_LIBRARY_PATH=/opt/libtorch/lib \
    PYTORCH_FLAVOR=${PYTORCH_FLAVOR} \
    PYTORCH_VERSION=${PYTORCH_VERSION} \
    DJL_CACHE_DIR=/opt/djl-cache \
    NVIDIA_VISIBLE_DEVICES=all \
    NVIDIA_DRIVER_CAPABILITIES=compute,utility \
    JAVA_OPTS="-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError" \
    MALLOC_ARENA_MAX=2
# MALLOC_ARENA_MAX: libtorch's native allocations spread over glibc's per-thread arenas and resident memory kept
# growing under load (+28 % in 5 min); two arenas hold it under 10 % (docs/service-bench.md, soak)
USER 10001:10001
# Proves at build time that libtorch loads offline from the image alone (a CUDA build has no GPU here: skipped).
RUN if [ "$PYTORCH_FLAVOR" = cpu ]; then java -Dai.djl.offline=true -cp score-sde.jar dev.scoresde.EngineInfo; fi
# 8080: the API; 8081: actuator (probes, Prometheus) when MANAGEMENT_SERVER_PORT=8081 (compose and the Helm chart
# set it), so slow API clients cannot starve the health check
EXPOSE 8080 8081
VOLUME ["/models"]
HEALTHCHECK --interval=15s --timeout=5s --start-period=180s --retries=3 \
  CMD curl -fsS "http://localhost:${MANAGEMENT_SERVER_PORT:-8080}/actuator/health/readiness" || exit 1
# Arguments go to Spring Boot, e.g. --spring.profiles.active=train --spring.config.additional-location=jobs/x.yml
ENTRYPOINT ["sh", "-c", "exec java $JAVA_OPTS -Dai.djl.offline=true -jar /app/score-sde.jar \"$@\"", "score-sde"]
