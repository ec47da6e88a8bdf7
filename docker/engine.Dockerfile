# The Operaton engine host (engine/: Operaton 1.0.3 in a small Spring Boot application with /engine-rest,
# Cockpit, Tasklist and Admin), built from the same sources `npm start` builds locally, so local and
# production run one configuration (engine/src/main/resources/application.yaml, set through ENGINE_*).
# Build context: the repository root (docker/engine.Dockerfile.dockerignore sends only engine/pom.xml and engine/src).

FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /build
COPY engine/pom.xml ./pom.xml
COPY engine/src ./src
# The cache mount (BuildKit, the default builder) keeps the ~290 downloaded artifacts between builds.
RUN --mount=type=cache,target=/root/.m2 mvn -B -q -DskipTests package \
 && test -f target/engine-host.jar

FROM eclipse-temurin:17-jre
RUN groupadd --system engine \
 && useradd --system --gid engine --home-dir /opt/engine --no-create-home engine \
 && mkdir -p /opt/engine /var/lib/engine \
 && chown engine:engine /var/lib/engine
WORKDIR /opt/engine
COPY --from=build /build/target/engine-host.jar ./engine-host.jar
# Inside a container the engine must listen on every interface (the host default is 127.0.0.1).
# ENGINE_DATA_DIR only matters for the H2 fallback (one node); compose sets ENGINE_DATABASE_URL to PostgreSQL.
# JAVA_OPTS: always set a heap limit; without one the engine grows to about 1.2 GB under load.
ENV ENGINE_BIND_ADDRESS=0.0.0.0 \
    ENGINE_PORT=8080 \
    ENGINE_DATA_DIR=/var/lib/engine \
    JAVA_OPTS="-Xmx512m -XX:+ExitOnOutOfMemoryError"
USER engine
EXPOSE 8080
# exec: the JVM is PID 1 and gets SIGTERM directly, so `docker stop` shuts the engine down cleanly.
ENTRYPOINT ["sh", "-c", "exec java $JAVA_OPTS -jar /opt/engine/engine-host.jar"]
