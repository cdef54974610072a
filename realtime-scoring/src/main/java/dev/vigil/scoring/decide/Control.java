package dev.vigil.scoring.decide;

/**
 * The broadcast side of the scoring operator: a champion record from {@code model-updates}, a
 * merchant profile from {@code merchant-profiles} or a label from {@code labels}, still as JSON
 * (decoded, and rejected with a reason, in the operator). Exactly one is set.
 */
public class Control {
    public byte[] modelUpdateJson;
    public byte[] merchantProfileJson;
    public byte[] labelJson;

    public Control() {
    }

    public static Control modelUpdate(byte[] json) {
        Control c = new Control();
        c.modelUpdateJson = json;
        return c;
    }

    public static Control merchantProfile(byte[] json) {
        Control c = new Control();
        c.merchantProfileJson = json;
        return c;
    }

    public static Control label(byte[] json) {
        Control c = new Control();
        c.labelJson = json;
        return c;
    }
}
