// SyncNotificationSettings and the configuration's name: bad input is invalid with a reason, never silently absent.
import { describe, expect, it } from "vitest";
import { notificationSettings, parseNotifications, toConfiguration } from "../../src/model/configuration.js";

describe("parseNotifications", () => {
  it("reads the settings object, and an absent secret as no settings", () => {
    expect(parseNotifications('{"Enabled":true,"Recipients":"a@contoso.com"}')).toEqual({ ok: true, value: { Enabled: true, Recipients: "a@contoso.com" } });
    expect(parseNotifications(undefined)).toEqual({ ok: true, value: undefined });
    expect(parseNotifications("")).toEqual({ ok: true, value: undefined });
  });

  it.each([
    ['{"Enabled":true,', /^not valid JSON \(/],
    ["true", /^valid JSON but not an object \(boolean\)$/],
    ["null", /^valid JSON but not an object \(null\)$/],
    ["[1]", /^valid JSON but an array, not an object$/],
  ])("%s is invalid, with the reason", (raw, reason) => {
    const r = parseNotifications(raw);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toMatch(reason);
  });
});

describe("toConfiguration", () => {
  const sp = { id: "sp-1", displayName: "Fabrikam" };
  it("names the configuration by its service principal's displayName, else its id", () => {
    expect(toConfiguration(sp, []).name).toBe("Fabrikam");
    expect(toConfiguration({ id: "sp-2" }, []).name).toBe("sp-2");
  });

  it("keeps invalid notification settings invalid, and notificationSettings() reads them as none", () => {
    const config = toConfiguration(sp, [{ key: "SyncNotificationSettings", value: "{" }]);
    expect(config.notifications.ok).toBe(false);
    expect(notificationSettings(config)).toBeUndefined();
  });
});
