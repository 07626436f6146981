//! Reading tasks for reports: every task a filter lets through, open and closed, in the slim
//! form the report functions work on. Closed tasks are read by every core at once.

use std::sync::Mutex;

use super::TaskManager;
use super::error::EngineError;
use crate::domain::{Filter, StatusFilter, Task};
use crate::report::{CategoryNames, Range, Report, ReportTask, Window};

impl TaskManager {
    /// The report called `name` (one of [`crate::report::REPORTS`]) over the tasks `filter`
    /// lets through, for `range`, with the days it covers (what its JSON is shown over).
    ///
    /// ```
    /// # let dir = tempfile::tempdir().unwrap();
    /// # let tm = tme_core::TaskManager::open(dir.path().join("t.redb")).unwrap();
    /// use tme_core::domain::Filter;
    /// use tme_core::report::Range;
    /// let task = tm.add_task("Ship it", Some("Work")).unwrap();
    /// tm.mark_completed(task.id).unwrap();
    /// let (report, window) = tm.report("throughput", Range::parse("7d").unwrap(), &Filter::all()).unwrap();
    /// assert_eq!(report.json(&window)["total"], 1);
    /// assert!(tm.report("velocity", Range::parse("7d").unwrap(), &Filter::all()).is_err());
    /// ```
    pub fn report(
        &self,
        name: &str,
        range: Range,
        filter: &Filter,
    ) -> Result<(Report, Window), EngineError> {
        let time = self.time();
        let tasks = self.report_tasks(filter)?;
        let report = Report::build(name, &tasks, range, &time)
            .map_err(|e| EngineError::Invalid(e.to_string()))?;
        Ok((report, Window::new(range, &tasks, &time)))
    }

    /// Every task `filter` lets through, open and closed, as reports need them. A filter with
    /// no conditions reads each task once without judging it.
    ///
    /// ```
    /// # let dir = tempfile::tempdir().unwrap();
    /// # let tm = tme_core::TaskManager::open(dir.path().join("t.redb")).unwrap();
    /// use tme_core::domain::Filter;
    /// use tme_core::report::{Range, throughput};
    /// let task = tm.add_task("Ship it", Some("Work")).unwrap();
    /// tm.mark_completed(task.id).unwrap();
    /// tm.add_task("Next thing", Some("Work")).unwrap();
    /// let tasks = tm.report_tasks(&Filter::all()).unwrap();
    /// assert_eq!(tasks.len(), 2);
    /// let report = throughput(&tasks, Range::parse("7d").unwrap(), &tm.time());
    /// assert_eq!(report.total, 1);
    /// ```
    pub fn report_tasks(&self, filter: &Filter) -> Result<Vec<ReportTask>, EngineError> {
        let read = self.store.read()?;
        let time = self.time();
        let everything = filter.is_everything() && filter.status == StatusFilter::Any;
        let keep = |task: &Task| everything || filter.matches(task, &time);
        let mut names = CategoryNames::default();
        let mut out: Vec<ReportTask> = read
            .open_tasks()?
            .iter()
            .filter(|t| keep(t))
            .map(|t| ReportTask::of(t, &time, &mut names))
            .collect();
        if filter.status.only_open() {
            return Ok(out);
        }
        // Each part is filled by one thread only, so its lock is never waited on.
        let parts: Vec<Mutex<(Vec<ReportTask>, CategoryNames)>> = (0
            ..std::thread::available_parallelism()
                .map_or(1, |n| n.get())
                .min(4))
            .map(|_| Mutex::default())
            .collect();
        read.scan_closed(parts.len(), &|part, task| {
            if keep(&task)
                && let Some(Ok(mut slot)) = parts.get(part).map(Mutex::lock)
            {
                let (list, names) = &mut *slot;
                list.push(ReportTask::of(&task, &time, names));
            }
        })?;
        for part in parts {
            out.extend(part.into_inner().map(|(list, _)| list).unwrap_or_default());
        }
        Ok(out)
    }
}
