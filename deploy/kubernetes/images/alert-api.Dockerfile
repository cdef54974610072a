# The alert API's image: a JRE and the service's runtime classpath as a flat folder.
# Build from the repository root after
#   ./mvnw -pl alert-api -am package -DskipTests dependency:copy-dependencies -DincludeScope=runtime \
#       -DoutputDirectory=target/image-lib
#   docker build -f deploy/kubernetes/images/alert-api.Dockerfile -t vigil/alert-api:0.1.0 .
FROM eclipse-temurin:17-jre
COPY alert-api/target/image-lib/ /app/lib/
COPY alert-api/target/vigil-alert-api-0.1.0-SNAPSHOT.jar /app/lib/
USER 10001
EXPOSE 8080
