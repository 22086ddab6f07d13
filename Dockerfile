# StreamFM image: `docker build -t streamfm .`, then `docker run streamfm serve --bootstrap-servers ...`.
# docker-compose.yml builds it for the streamfm and generator services.

FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
# The pom first, so the dependency download stays cached while the sources change.
COPY pom.xml .
RUN mvn -q -B dependency:go-offline || true
COPY schemas/ schemas/
COPY src/ src/
RUN mvn -q -B -DskipTests package

FROM eclipse-temurin:17-jre
# An unprivileged user whose home holds the TensorFlow native libraries (unpacked into ~/.javacpp
# on first start, ~650 MB: mount a volume on /var/lib/streamfm to unpack them only once) and the
# Kafka Streams state.
RUN useradd --system --uid 10001 --create-home --home-dir /var/lib/streamfm streamfm \
    && mkdir -p /etc/streamfm
WORKDIR /opt/streamfm
COPY --from=build /src/target/lib/ lib/
COPY --from=build /src/target/streamfm.jar streamfm.jar
USER streamfm
# A fixed heap, and short young-collection pauses: with G1's default 200 ms goal its pauses were
# the scorer's tail latency (README, bench pipeline, "Garbage-collection pauses").
ENV JAVA_TOOL_OPTIONS="-XX:InitialRAMPercentage=75 -XX:MaxRAMPercentage=75 -XX:MaxGCPauseMillis=20 -XX:+ExitOnOutOfMemoryError" \
    STREAMFM_STATE_DIR=/var/lib/streamfm/state
EXPOSE 9400
ENTRYPOINT ["java", "-jar", "/opt/streamfm/streamfm.jar"]
CMD ["--help"]
