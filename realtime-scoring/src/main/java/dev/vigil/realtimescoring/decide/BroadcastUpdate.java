package dev.vigil.realtimescoring.decide;

/**
 * An update every card's scoring operator sees (the broadcast side): a champion record from
 * {@code model-updates}, a merchant profile from {@code merchant-profiles} or a label from
 * {@code labels}, still as JSON (decoded, and rejected with a reason, in the operator). Exactly one
 * is set; a flat POJO for the same reason as {@link CardMessage}.
 */
public class BroadcastUpdate {
    public byte[] modelUpdateJson;
    public byte[] merchantProfileJson;
    public byte[] labelJson;

    public BroadcastUpdate() {
    }

    public static BroadcastUpdate modelUpdate(byte[] json) {
        BroadcastUpdate c = new BroadcastUpdate();
        c.modelUpdateJson = json;
        return c;
    }

    public static BroadcastUpdate merchantProfile(byte[] json) {
        BroadcastUpdate c = new BroadcastUpdate();
        c.merchantProfileJson = json;
        return c;
    }

    public static BroadcastUpdate label(byte[] json) {
        BroadcastUpdate c = new BroadcastUpdate();
        c.labelJson = json;
        return c;
    }
}
