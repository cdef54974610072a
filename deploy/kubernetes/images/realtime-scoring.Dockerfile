# The scoring job's image for the FlinkDeployment: Flink's own image plus the job jar.
# Build from the repository root after ./mvnw -pl realtime-scoring -am package -DskipTests:
#   docker build -f deploy/kubernetes/images/realtime-scoring.Dockerfile -t vigil/realtime-scoring:0.1.0 .
FROM flink:2.2.1-java17
COPY realtime-scoring/target/vigil-realtime-scoring-0.1.0-SNAPSHOT-job.jar /opt/flink/usrlib/vigil-realtime-scoring-job.jar
