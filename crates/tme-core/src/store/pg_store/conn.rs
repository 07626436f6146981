//! A connection with the statements it has prepared, so that a statement run again costs one
//! round trip instead of three (prepare, run, close).

use std::collections::HashMap;

use postgres::types::ToSql;
use postgres::{Client, Row, Statement};

/// A client and its prepared statements, kept together in the pool.
pub struct Conn {
    client: Client,
    prepared: HashMap<String, Statement>,
}

impl Conn {
    /// A connection that has prepared nothing yet.
    pub fn new(client: Client) -> Conn {
        Conn {
            client,
            prepared: HashMap::new(),
        }
    }

    /// The client itself, for what is not a prepared statement (transaction control, COPY).
    pub fn client(&mut self) -> &mut Client {
        &mut self.client
    }

    /// Whether the server has ended the connection.
    pub fn is_closed(&self) -> bool {
        self.client.is_closed()
    }

    fn statement(&mut self, sql: &str) -> Result<Statement, postgres::Error> {
        if let Some(statement) = self.prepared.get(sql) {
            return Ok(statement.clone());
        }
        let statement = self.client.prepare(sql)?;
        self.prepared.insert(sql.to_string(), statement.clone());
        Ok(statement)
    }

    /// Runs a query, prepared the first time it is met.
    pub fn query(
        &mut self,
        sql: &str,
        params: &[&(dyn ToSql + Sync)],
    ) -> Result<Vec<Row>, postgres::Error> {
        let statement = self.statement(sql)?;
        self.client.query(&statement, params)
    }

    /// Runs a statement, prepared the first time it is met; returns the rows it changed.
    pub fn execute(
        &mut self,
        sql: &str,
        params: &[&(dyn ToSql + Sync)],
    ) -> Result<u64, postgres::Error> {
        let statement = self.statement(sql)?;
        self.client.execute(&statement, params)
    }
}
