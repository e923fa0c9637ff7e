package dev.failover.activities.components;

import java.util.List;
import java.util.Map;

/**
 * One kind of control-plane object (jobs, SQL warehouses, repos, ...): how to read it from a
 * workspace, what the DR side must look like, and how to create, update and delete it there. The
 * {@link ComponentConverger} decides what to do with these parts, so that capture, converge, the
 * dry run, the smoke test and a drill's clean-up treat every component the same way.
 *
 * <p>Items are plain records, stored in the snapshot as JSON: keep them free of server-assigned
 * values that differ between workspaces (ids, timestamps, creators, states), except where {@link
 * #key} needs them.
 *
 * @param <T> the component's item record
 */
public interface Component<T> {
  /**
   * The component's name, as in the snapshot, the plan ({@code converge-<name>}) and the report.
   */
  String name();

  /** The item record, to store it in the snapshot and read it back. */
  Class<T> type();

  /**
   * The identity that matches an item captured on the active side with the same object on the other
   * side, so that converge never duplicates it: a name or path, or a mark the tool put on the copy
   * (a job's tag).
   */
  String key(T item);

  /**
   * Every object of this kind in a workspace, following every page; read-only. Captures the active
   * side.
   */
  List<T> read(ComponentContext workspace);

  /**
   * {@link #read}, handing to {@code standalone} each item as soon as it is read, exactly as the
   * read returns it, when it names no other object of the workspace (whose copy the steps this
   * component needs would make first): a drill converges such items while capture still reads the
   * rest ({@code CaptureFeed}). The default hands on nothing.
   */
  default List<T> read(ComponentContext workspace, java.util.function.Consumer<T> standalone) {
    return read(workspace);
  }

  /**
   * Whether the target can hold {@code item}, one {@link #read(ComponentContext,
   * java.util.function.Consumer)} handed on, before the steps this component needs have run: what
   * else its copy needs the target already has (a job's run-as identity). Read-only; false by
   * default.
   */
  default boolean convergesAhead(T item, ComponentContext target) {
    return false;
  }

  /**
   * The objects of the target that can match {@code wanted}, by {@link #key}; read-only. The
   * default reads everything; a component whose full read is expensive (one request per object)
   * reads only what it needs.
   */
  default Map<String, T> current(ComponentContext target, List<T> wanted) {
    return ComponentConverger.index(this, read(target));
  }

  /**
   * The objects of the target whose {@link #key} is one of {@code keys}; read-only. A drill's
   * clean-up finds what it created this way. The default reads everything; a component whose full
   * read is expensive reads only these.
   */
  default Map<String, T> withKeys(ComponentContext target, java.util.Set<String> keys) {
    Map<String, T> found = ComponentConverger.index(this, read(target));
    found.keySet().retainAll(keys);
    return found;
  }

  /**
   * What a read of every object of a target that may be a copy found, before a snapshot says which
   * keys are wanted.
   *
   * @param read the objects read in full, by {@link #key}
   * @param onlyListed the keys of objects only listed: those that carry no mark of this tool, which
   *     may still match an item (an original the other side's copy names), are left to the batch
   *     that wants them
   */
  record Copies<T>(Map<String, T> read, java.util.Set<String> onlyListed) {}

  /**
   * Every object of the target that may be a copy of an item, by {@link #key}; read-only. A drill
   * reads DR's copies this way beside capture. The default reads everything.
   */
  default Copies<T> copies(ComponentContext target) {
    return new Copies<>(ComponentConverger.index(this, read(target)), java.util.Set.of());
  }

  /**
   * What the target must hold for a captured item: storage paths rewritten to the replica buckets,
   * and what a drill changes (external locations read-only, jobs paused).
   */
  T expected(T captured, ComponentContext target);

  /** The fields where {@code have} does not match {@code want}; empty when it matches. */
  List<String> differences(T want, T have);

  /**
   * Called once per converge, before anything is recorded in the ledger or created, with every item
   * of the batch that the target is missing; nothing by default. A component whose objects this
   * tool must not create (identity, which belongs to the identity provider and the account) fails
   * here, so that one failure names everything that is missing. Not called in a dry run or a check.
   */
  default void beforeCreating(List<T> missing, ComponentContext target) {}

  /**
   * Creates {@code want} in the target, marked as the runbook's where the API allows it. "Already
   * exists" (another attempt won the race) is success.
   */
  void create(T want, ComponentContext target);

  /** Makes {@code have} match {@code want} in the fields that differ. */
  void update(T want, T have, List<String> differences, ComponentContext target);

  /**
   * {@link #create}, saying what it did beyond creating the object (files copied, say), for the
   * result's differences; nothing by default.
   */
  default List<String> createDescribed(T want, ComponentContext target) {
    create(want, target);
    return List.of();
  }

  /** {@link #update}, saying what it did beyond the differences; nothing by default. */
  default List<String> updateDescribed(
      T want, T have, List<String> differences, ComponentContext target) {
    update(want, have, differences, target);
    return List.of();
  }

  /**
   * After converge has created and updated what differed, brings the batch's objects to the state
   * they must be in to serve (SQL warehouses started and RUNNING); nothing by default. Not called
   * in a dry run or a check.
   */
  default void settle(List<T> wanted, ComponentContext target) {}

  /**
   * Whether reading the component sends a request per object (a job's settings, a notebook's
   * source, an object's access list), so that its read is among the longest of a capture, which
   * starts such reads first and so ends with them rather than after them. False by default: a few
   * list pages.
   */
  default boolean readsEachObject() {
    return false;
  }

  /**
   * How many of a batch's creates (and then updates) converge sends at once. 1, the default: one
   * after another, in the batch's order. More only for a component whose items do not depend on one
   * another, except those {@link #waitsForOthers} names, and whose create and update are safe from
   * several threads.
   */
  default int inFlight() {
    return 1;
  }

  /**
   * Whether an item's create or update must wait until the batch's other items are done (a view
   * reads tables of the same batch); such items then go after the others, in the batch's order,
   * each after the earlier ones it {@link #waitsFor}. Only read when {@link #inFlight} is more than
   * 1.
   */
  default boolean waitsForOthers(T item) {
    return false;
  }

  /**
   * Whether {@code item}, one that {@link #waitsForOthers}, must wait for {@code earlier}, another
   * such item before it in the batch. True by default: such items go one after another. A component
   * that can tell (a view waits only for the views it reads) answers false for the others, and the
   * items that wait for none of those still pending are changed side by side.
   */
  default boolean waitsFor(T item, T earlier) {
    return true;
  }

  /**
   * Whether a failover may leave an item unread when it is as it was in the snapshot the target
   * last matched ({@code SinceVerified}). Only for a component whose expected state is the same in
   * a drill and a failover and whose converge does nothing beyond making items match (no {@link
   * #settle}): what a drill leaves read-only, owned by the worker or stopped, a failover must still
   * change. False by default, so that such a component compares every item.
   */
  default boolean trustedWhenUnchanged() {
    return false;
  }

  /** The difference {@link #ownerGivenLast} leaves out of converge. */
  String OWNER = "owner";

  /**
   * Whether the item's {@code "owner"} difference is given by the ownership pass in the grants
   * step, after every Unity Catalog object has been created, rather than by this component's
   * converge: an owner change takes the worker's rights on the object away (a model's new versions
   * need its owner; a view needs {@code SELECT} on the tables it reads). Converge then neither
   * changes nor counts an owner that differs, while the check (the smoke test, after the pass) and
   * a preview still compare it. False by default.
   */
  default boolean ownerGivenLast() {
    return false;
  }

  /** Deletes an object a drill created; "not found" is success. */
  void delete(T have, ComponentContext target);

  /**
   * Why a captured item is not converged (for example a managed table whose storage is not
   * replicated: the action it needs instead), or null when it is. Such items are listed in the
   * result and the report, never created.
   */
  default String skipReason(T captured) {
    return null;
  }

  /**
   * The Unity Catalog securables of an item whose grants are captured and converged with the
   * others, as {@code (securable type, full name)}; none by default.
   */
  default List<Securable> securables(T item) {
    return List.of();
  }

  /**
   * Thrown by {@link #create} or {@link #update} when the item must not be converged as things
   * stand (a Delta table whose replica has no log would become a new, empty table): the converger
   * goes on with the other items and reports this one as refused, with the message, which says why
   * and what to do. The step then fails, after everything else is converged.
   */
  final class Refused extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public Refused(String reason) {
      super(reason, null, false, false);
    }
  }

  /** A Unity Catalog securable: its type as the permissions API names it, and its full name. */
  record Securable(String type, String fullName) {}
}
