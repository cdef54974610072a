# The night's image for its ScheduledSparkApplication: Spark's own image plus Vigil's jars and the
# libraries Spark does not ship (Delta, s3a, Kafka source, XGBoost), as a flat folder; the lake's
# jar comes with batch-training's dependencies.
# Build from the repository root after
#   ./mvnw -pl batch-training -am package -DskipTests dependency:copy-dependencies -DincludeScope=runtime \
#       -DoutputDirectory=target/image-lib
#   docker build -f deploy/kubernetes/images/nightly.Dockerfile -t vigil/nightly:0.1.0 .
FROM apache/spark:4.1.0-java17
COPY batch-training/target/image-lib/ /opt/spark/jars/
COPY core/target/vigil-core-0.1.0-SNAPSHOT.jar /opt/spark/jars/
COPY batch-training/target/vigil-batch-training-0.1.0-SNAPSHOT.jar /opt/spark/vigil/vigil-batch-training.jar
