package dev.vigil.core.json;

import dev.vigil.core.TestData;

import java.util.List;
import java.util.function.Function;

/** Each codec with its schema file and a generator of valid records, for table-driven tests. */
record Codecs<T>(String schema, JsonCodec<T> codec, Function<TestData.Random2, T> valid) {

    static List<Codecs<?>> all() {
        return List.of(
                new Codecs<>("authorization.v1.json", AuthorizationCodec.INSTANCE, TestData.Random2::authorization),
                new Codecs<>("decision.v1.json", DecisionCodec.INSTANCE, TestData.Random2::decision),
                new Codecs<>("alert.v1.json", AlertCodec.INSTANCE, TestData.Random2::alert),
                new Codecs<>("label.v1.json", LabelCodec.INSTANCE, TestData.Random2::label),
                new Codecs<>("card-profile.v1.json", CardProfileCodec.INSTANCE, TestData.Random2::cardProfile),
                new Codecs<>("merchant-profile.v1.json", MerchantProfileCodec.INSTANCE,
                        TestData.Random2::merchantProfile),
                new Codecs<>("model-update.v1.json", ModelUpdateCodec.INSTANCE, TestData.Random2::modelUpdate),
                new Codecs<>("card-watch.v1.json", CardWatchCodec.INSTANCE, TestData.Random2::cardWatch));
    }

    byte[] randomValid(TestData.Random2 r) {
        return codec.encode(valid.apply(r));
    }

    @Override
    public String toString() {
        return schema;
    }
}
