//! Sync scenarios: each rule of docs/sync.md, shown on two or three replicas.

use chrono::Duration;
use tme_core::domain::{Priority, RecurrenceLink, RecurrenceRule, Status, Tag, TaskChanges, When};
use tme_core::engine::person;

use super::replicas::{Net, all_tasks, new_task, priority, title};

#[test]
fn a_task_added_on_one_machine_is_the_same_task_everywhere_after_sync() {
    let net = Net::new(2);
    let task = net.at(0).tm.create(new_task("Pay rent")).unwrap();
    net.sync(0);
    net.sync(1);
    let there = net.at(1).tm.task(task.id).unwrap();
    assert_eq!(
        (there.id, there.uuid, there.title.as_str()),
        (task.id, task.uuid, "Pay rent")
    );
    net.assert_converged();
}

#[test]
fn changes_to_different_fields_of_one_task_both_survive() {
    let net = Net::new(2);
    let task = net.at(0).tm.create(new_task("Pay rent")).unwrap();
    net.sync_all();
    let set = |n: usize, changes: TaskChanges| net.at(n).tm.update(task.id, &changes).unwrap();
    set(0, priority(Priority::High));
    set(1, title("Pay the rent"));
    set(
        1,
        TaskChanges {
            add_tags: vec![Tag::parse("home").unwrap()],
            ..Default::default()
        },
    );
    set(
        0,
        TaskChanges {
            add_tags: vec![Tag::parse("money").unwrap()],
            ..Default::default()
        },
    );
    net.sync_all();
    net.sync_all();
    let merged = net.at(0).tm.task(task.id).unwrap();
    assert_eq!(merged.title, "Pay the rent");
    assert_eq!(merged.priority, Some(Priority::High));
    assert_eq!(merged.tags.len(), 2, "{:?}", merged.tags);
    net.assert_converged();
    assert!(net.at(0).tm.conflicts(true).unwrap().is_empty());
}

#[test]
fn the_same_field_set_twice_keeps_the_later_and_tells_the_loser_who_can_take_it_back() {
    let net = Net::new(2);
    let task = net.at(0).tm.create(new_task("Pay rent")).unwrap();
    net.sync_all();
    net.at(0)
        .tm
        .update(task.id, &priority(Priority::High))
        .unwrap();
    net.at(1)
        .tm
        .update(task.id, &priority(Priority::Low))
        .unwrap();
    net.sync(0);
    let winner = net.sync(1);
    assert!(
        winner.taken.lost.is_empty(),
        "the later change stands: {winner:?}"
    );
    let loser = net.sync(0);
    assert_eq!(loser.taken.lost.len(), 1, "{loser:?}");
    let conflict = &loser.taken.lost[0];
    assert_eq!(
        (
            conflict.field.as_str(),
            conflict.lost.as_str(),
            conflict.won.as_str()
        ),
        ("priority", Some("H"), Some("L"))
    );
    assert_eq!(person(&conflict.by), "user0");
    assert_eq!(person(&conflict.over), "user1");
    assert_eq!(
        net.at(0).tm.task(task.id).unwrap().priority,
        Some(Priority::Low)
    );
    // Only the loser is shown it; everyone can list it.
    assert_eq!(net.at(0).tm.conflicts(false).unwrap().len(), 1);
    assert!(net.at(1).tm.conflicts(false).unwrap().is_empty());
    assert_eq!(net.at(1).tm.conflicts(true).unwrap().len(), 1);
    let back = net.at(0).tm.take_back(conflict.seq).unwrap();
    assert_eq!(back.priority, Some(Priority::High));
    assert!(
        net.at(0).tm.conflicts(false).unwrap().is_empty(),
        "taken back, it is closed"
    );
    net.sync_all();
    net.sync_all();
    assert_eq!(
        net.at(1).tm.task(task.id).unwrap().priority,
        Some(Priority::High)
    );
    net.assert_converged();
}

#[test]
fn an_occurrence_spawned_on_two_machines_offline_is_one_task() {
    let net = Net::new(3);
    let mut template = new_task("Water the plants");
    template.recurrence = Some(RecurrenceRule::parse("daily").unwrap());
    template.due = Some(When::At(net.now() + Duration::hours(1)));
    let template = net.at(0).tm.create(template).unwrap();
    net.sync_all();
    net.advance(Duration::days(3));
    for n in 0..3 {
        net.at(n).tm.catch_up().unwrap();
    }
    net.sync_all();
    net.sync_all();
    net.assert_converged();
    let occurrences: Vec<_> = all_tasks(&net.at(2).tm)
        .into_iter()
        .filter_map(|t| match t.recurrence {
            Some(RecurrenceLink::Instance {
                template: of,
                occurrence,
            }) if of == template.id => Some(occurrence),
            _ => None,
        })
        .collect();
    let mut distinct = occurrences.clone();
    distinct.dedup();
    assert_eq!(distinct, occurrences, "no occurrence twice");
    assert!(!occurrences.is_empty());
}

#[test]
fn tasks_added_offline_on_two_machines_get_distinct_ids_the_same_everywhere() {
    let net = Net::new(2);
    net.at(0).tm.create(new_task("First")).unwrap();
    net.sync_all();
    let a = net.at(0).tm.create(new_task("On the laptop")).unwrap();
    let b = net.at(1).tm.create(new_task("On the desktop")).unwrap();
    assert_eq!(a.id, b.id, "each took the next id offline");
    net.sync(0);
    let moved = net.sync(1);
    assert_eq!(moved.taken.renumbered.len(), 1, "{moved:?}");
    assert_eq!(moved.taken.renumbered[0].0, b.id);
    net.sync(0);
    net.assert_converged();
    let on_laptop = net.at(0).tm.task(moved.taken.renumbered[0].1).unwrap();
    assert_eq!(on_laptop.title, "On the desktop");
    assert_eq!(net.at(1).tm.task(a.id).unwrap().title, "On the laptop");
}

#[test]
fn a_change_to_a_task_deleted_elsewhere_stays_on_it_and_its_maker_is_told() {
    let net = Net::new(2);
    let task = net.at(0).tm.create(new_task("Call the bank")).unwrap();
    net.sync_all();
    net.at(0).tm.delete(task.id).unwrap();
    let changes = title("Call the bank about the loan");
    net.at(1).tm.update(task.id, &changes).unwrap();
    net.sync(0);
    let told = net.sync(1);
    let after = net.at(1).tm.task(task.id).unwrap();
    assert_eq!(after.status, Status::Deleted, "the deletion stands");
    assert_eq!(
        after.title, "Call the bank about the loan",
        "the change is kept on it"
    );
    assert_eq!(told.taken.lost.len(), 1, "{told:?}");
    assert_eq!(told.taken.lost[0].field, "status");
    net.at(1).tm.take_back(told.taken.lost[0].seq).unwrap();
    net.sync_all();
    net.sync_all();
    assert_eq!(net.at(0).tm.task(task.id).unwrap().status, Status::Pending);
    net.assert_converged();
}

#[test]
fn completing_a_task_changed_elsewhere_keeps_both() {
    let net = Net::new(2);
    let task = net.at(0).tm.create(new_task("Write report")).unwrap();
    net.sync_all();
    net.at(0).tm.mark_completed(task.id).unwrap();
    let pri = priority(Priority::High);
    net.at(1).tm.update(task.id, &pri).unwrap();
    net.sync_all();
    net.sync_all();
    let after = net.at(1).tm.task(task.id).unwrap();
    assert_eq!(
        (after.status, after.priority),
        (Status::Completed, Some(Priority::High))
    );
    assert!(net.at(0).tm.conflicts(true).unwrap().is_empty());
    net.assert_converged();
}

#[test]
fn a_cycle_made_on_two_machines_offline_is_refused_at_sync_with_its_path() {
    let net = Net::new(2);
    let one = net.at(0).tm.create(new_task("Design")).unwrap();
    let two = net.at(0).tm.create(new_task("Build")).unwrap();
    net.sync_all();
    net.at(0).tm.assign_dependency(two.id, one.id).unwrap();
    net.at(1).tm.assign_dependency(one.id, two.id).unwrap();
    net.sync(0);
    let refused = net.sync(1);
    net.sync(0);
    assert_eq!(refused.taken.lost.len(), 1, "{refused:?}");
    let why = refused.taken.lost[0].why.clone().unwrap_or_default();
    assert!(
        why.contains("cycle")
            && why.contains(&one.id.to_string())
            && why.contains(&two.id.to_string()),
        "{why}"
    );
    assert!(net.at(1).tm.task(one.id).unwrap().depends.is_empty());
    assert_eq!(net.at(1).tm.task(two.id).unwrap().depends.len(), 1);
    net.assert_converged();
}

#[test]
fn undoing_a_synced_command_is_a_new_command_everyone_sees_and_refuses_over_a_later_change() {
    let net = Net::new(2);
    let task = net.at(0).tm.create(new_task("Plan trip")).unwrap();
    net.sync_all();
    let retitle = title("Plan the trip");
    net.at(0).tm.update(task.id, &retitle).unwrap();
    net.sync_all();
    let pri = priority(Priority::High);
    net.at(1).tm.update(task.id, &pri).unwrap();
    net.sync(1);
    net.sync(0);
    // Another field changed since: the undo takes back only its own.
    net.at(0).tm.undo().unwrap();
    net.sync_all();
    let after = net.at(1).tm.task(task.id).unwrap();
    assert_eq!(
        (after.title.as_str(), after.priority),
        ("Plan trip", Some(Priority::High))
    );
    let undone = net.at(1).tm.history(task.id).unwrap();
    assert!(undone.iter().any(|e| e.op == tme_core::domain::Op::Revert));
    // The same field changed since: refused, naming the task.
    let again = title("Plan the holiday");
    net.at(0).tm.update(task.id, &again).unwrap();
    net.sync(0);
    let other = title("Plan the summer");
    net.at(1).tm.update(task.id, &other).unwrap();
    net.sync(1);
    net.sync(0);
    let refused = net.at(0).tm.undo().unwrap_err().to_string();
    assert!(refused.contains(&format!("task {}", task.id)), "{refused}");
    net.assert_converged();
}

#[test]
fn a_command_made_while_a_sync_is_under_way_is_put_back_on_top_and_pushed_next_time() {
    let net = Net::new(2);
    let task = net.at(0).tm.create(new_task("Read paper")).unwrap();
    net.sync_all();
    let tm = &net.at(0).tm;
    let state = tm.replica_state().unwrap();
    let outbox = tm.sync_outbox(&state).unwrap();
    let acked = net
        .server
        .tm
        .sync_push(&net.body(state.replica, outbox))
        .unwrap();
    let meanwhile = priority(Priority::Medium);
    tm.update(task.id, &meanwhile).unwrap();
    let page = net.server.tm.sync_pull(state.cursor).unwrap();
    let taken = tm.sync_take(&state, acked.acknowledged, &[page]).unwrap();
    assert_eq!(taken.replayed, 1);
    assert_eq!(tm.task(task.id).unwrap().priority, Some(Priority::Medium));
    net.sync_all();
    net.sync_all();
    assert_eq!(
        net.at(1).tm.task(task.id).unwrap().priority,
        Some(Priority::Medium)
    );
    net.assert_converged();
}

#[test]
fn a_push_sent_again_after_a_lost_answer_changes_nothing() {
    let net = Net::new(1);
    net.at(0).tm.create(new_task("Once")).unwrap();
    let tm = &net.at(0).tm;
    let state = tm.replica_state().unwrap();
    let outbox = tm.sync_outbox(&state).unwrap();
    let first = net
        .server
        .tm
        .sync_push(&net.body(state.replica, outbox.clone()))
        .unwrap();
    let again = net
        .server
        .tm
        .sync_push(&net.body(state.replica, outbox))
        .unwrap();
    assert_eq!(first, again);
    net.sync(0);
    assert_eq!(all_tasks(&net.server.tm).len(), 1);
    let gap = net.body(state.replica, vec![super::replicas::pushed(5)]);
    let refused = net.server.tm.sync_push(&gap).unwrap_err().to_string();
    assert!(refused.contains("push from 2"), "{refused}");
}

#[test]
fn a_new_replica_joins_from_the_tasks_as_they_stand() {
    let net = Net::new(2);
    let ids: Vec<_> = (0..50)
        .map(|n| {
            net.at(0)
                .tm
                .create(new_task(&format!("Task {n}")))
                .unwrap()
                .id
        })
        .collect();
    net.sync(0);
    let short = net.sync(1);
    assert_eq!(short.taken.joined, None, "a short log is taken whole");
    assert_eq!(short.taken.commands, 50);
    // A log long beside its tasks: a new replica takes the tasks as they stand.
    for round in 0..25 {
        let estimate = TaskChanges {
            estimate: Some(Some(tme_core::domain::Duration::from_secs(
                60 * (round + 1),
            ))),
            ..Default::default()
        };
        net.at(0)
            .tm
            .change_each("estimate all", &ids, |s, id| s.update(id, &estimate))
            .unwrap();
    }
    net.sync(0);
    let late = net.join();
    let joined = late.tm.sync_with(&net.server.tm).unwrap();
    assert_eq!(joined.taken.joined, Some(50));
    assert_eq!(all_tasks(&late.tm).len(), 50);
    let check = late.tm.check_records().unwrap();
    assert!(check.problems.is_empty(), "{:?}", check.problems);
    assert_eq!(
        super::replicas::state(&late.tm),
        super::replicas::state(&net.server.tm)
    );
    net.sync(1);
    net.assert_converged();
}

#[test]
fn history_says_who_changed_what_on_which_machine() {
    let net = Net::new(2);
    let task = net.at(0).tm.create(new_task("Pay rent")).unwrap();
    net.sync_all();
    let pri = priority(Priority::High);
    net.at(1).tm.update(task.id, &pri).unwrap();
    net.sync_all();
    net.sync_all();
    let items = net.at(0).tm.history_items(task.id).unwrap();
    let actors: Vec<&str> = items.iter().map(|i| i.actor.as_str()).collect();
    assert!(actors.contains(&"user0 via test on machine0"), "{actors:?}");
    assert!(actors.contains(&"user1 via test on machine1"), "{actors:?}");
}

#[test]
fn a_file_restored_from_a_backup_pushes_its_new_commands_instead_of_losing_them() {
    let net = Net::new(1);
    net.at(0).tm.create(new_task("Before the backup")).unwrap();
    net.sync(0);
    let restored = net.copy_of(0);
    net.at(0).tm.create(new_task("After the backup")).unwrap();
    net.sync(0);
    // The old file makes a command of its own, numbered as the one after the backup was.
    restored
        .tm
        .create(new_task("Made on the restored file"))
        .unwrap();
    restored.tm.sync_with(&net.server.tm).unwrap();
    let titles: Vec<String> = all_tasks(&net.server.tm)
        .into_iter()
        .map(|t| t.title)
        .collect();
    assert!(
        titles.contains(&"Made on the restored file".to_string()),
        "{titles:?}"
    );
    assert_eq!(titles.len(), 3, "{titles:?}");
    net.sync(0);
    restored.tm.sync_with(&net.server.tm).unwrap();
    assert_eq!(
        super::replicas::state(&restored.tm),
        super::replicas::state(&net.server.tm)
    );
    net.assert_converged();
}
