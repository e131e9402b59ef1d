use super::Cx;
use crate::facts::compose::PublishedPort;

declare_rule! {
    /// ## What it does
    /// Checks that a database client pointed at this machine (`psql -h localhost -p 6543`,
    /// `pg_dump`, `pg_isready`, `redis-cli -p 6380`) uses a port the repository's compose
    /// files publish, when a compose service publishes that server's usual port
    /// (5432 for PostgreSQL, 6379 for Redis) on another one. It stays silent when no compose
    /// service serves that port, when a published port is not literal
    /// (`${PG_PORT:-5432}:5432`), and for other hosts.
    ///
    /// ## Why is this bad?
    /// `psql -p 6543` against a database compose publishes on 5432 fails with `connection
    /// refused`, or worse, reaches another local server that happens to listen there.
    ///
    /// ## Example
    /// ```markdown
    /// psql -h localhost -p 6543 -U app shop
    /// ```
    ///
    /// Use instead (compose.yaml publishes `5432:5432`):
    /// ```markdown
    /// psql -h localhost -p 5432 -U app shop
    /// ```
    pub struct UnpublishedPort {
        id: "unpublished-port",
        severity: Warning,
        summary: "a database client connects to a local port no compose service publishes",
    }
}

impl UnpublishedPort {
    fn run(&self, cx: &mut Cx<'_, '_>) {
        let compose = &cx.project.compose;
        if compose.files.is_empty()
            || compose.files.iter().any(|f| f.partial || !f.ports_known)
        {
            return;
        }
        let ports: Vec<&PublishedPort> = compose.files.iter().flat_map(|f| &f.ports).collect();
        let paths: Vec<&str> = compose.files.iter().map(|f| f.path.as_str()).collect();
        for command in &cx.doc.commands {
            let Some(endpoint) = command
                .invocation()
                .filter(|i| i.is_local())
                .and_then(|i| i.endpoint.as_ref())
            else {
                continue;
            };
            if !endpoint.is_this_machine()
                || ports.iter().any(|p| p.published == Some(endpoint.number))
            {
                continue;
            }
            let serving: Vec<&&PublishedPort> = ports
                .iter()
                .filter(|p| p.target == endpoint.default_port && p.published.is_some())
                .collect();
            let [first, ..] = serving.as_slice() else {
                continue;
            };
            let published = first.published.unwrap_or(first.target);
            let listed: Vec<String> = serving
                .iter()
                .map(|p| format!("`{}` on {}", p.service, p.published.unwrap_or(p.target)))
                .collect();
            let fix = (serving.len() == 1)
                .then(|| {
                    crate::fix::replacement_fix(
                        cx.source,
                        endpoint.port.span,
                        &endpoint.port.text,
                        &published.to_string(),
                        crate::fix::Applicability::Unsafe,
                    )
                })
                .flatten();
            cx.report(
                endpoint.port.span,
                format!(
                    "port {} is not published by {}",
                    endpoint.number,
                    paths.join(" or ")
                ),
            )
            .label("no compose service listens here")
            .help(format!(
                "compose publishes port {} of {}; did you mean {published}?",
                endpoint.default_port,
                listed.join(", ")
            ))
            .fix(fix)
            .checked(paths[0]);
        }
    }
}
