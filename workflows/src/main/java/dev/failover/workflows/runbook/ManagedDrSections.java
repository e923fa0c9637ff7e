package dev.failover.workflows.runbook;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.regex.Pattern;

/** Reads the {@code managedDr} section: names checked for the shapes the SDK documents. */
final class ManagedDrSections {
  /** A resource id: what the CLI's {@code FAILOVER_GROUP_ID} and {@code STABLE_URL_ID} take. */
  private static final String ID = "[A-Za-z0-9][A-Za-z0-9_-]{0,127}";

  private final RunbookFields f;

  ManagedDrSections(RunbookFields f) {
    this.f = f;
  }

  ManagedDr managedDr(JsonNode root, AccountSettings account) {
    JsonNode node = f.object(root, "", "managedDr", false);
    if (node == null) {
      return null;
    }
    f.allowOnly(node, "managedDr", "failoverGroup", "stableUrls", "failoverTimeoutMinutes");
    if (account == null) {
      f.problem(
          "managedDr", "needs the account section (the group is read through the account API)");
    }
    String accountId = account == null ? null : account.accountId();
    String group = f.text(node, "managedDr", "failoverGroup", true);
    if (group != null) {
      checkName("managedDr.failoverGroup", group, accountId, "failover-groups");
    }
    List<String> urls = f.textList(node, "managedDr", "stableUrls", false);
    if (urls != null) {
      for (int i = 0; i < urls.size(); i++) {
        checkName("managedDr.stableUrls[" + i + "]", urls.get(i), accountId, "stable-urls");
      }
    }
    Integer timeout =
        f.positive(
            node, "managedDr", "failoverTimeoutMinutes", false, ManagedDr.DEFAULT_TIMEOUT_MINUTES);
    if (timeout != null && timeout > 720) {
      f.problem("managedDr.failoverTimeoutMinutes", "must be at most 720, got " + timeout);
    }
    return new ManagedDr(
        group, urls, timeout == null ? ManagedDr.DEFAULT_TIMEOUT_MINUTES : timeout);
  }

  /** {@code accounts/<account id>/<collection>/<id>}, in the runbook's account. */
  private void checkName(String path, String name, String accountId, String collection) {
    String account = accountId == null ? "[^/]+" : Pattern.quote(accountId);
    if (!name.matches("accounts/" + account + "/" + collection + "/" + ID)) {
      f.problem(
          path,
          "must be accounts/"
              + (accountId == null ? "<account id>" : accountId)
              + "/"
              + collection
              + "/<id>, got '"
              + name
              + "'");
    }
  }
}
