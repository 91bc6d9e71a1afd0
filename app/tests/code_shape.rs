//! The code's shape, checked like behaviour (issue 10): no source file under `app/src` or
//! `server/src` is over 400 lines before its tests, and no two features import each other,
//! directly or around a longer circle.
//!
//! Modules are compared two levels deep (`escalation::service`, `components::host`): a file
//! under `escalation/service/` belongs to `escalation::service`. Every `crate::…` and
//! `super::…` path outside comments and test blocks is an import; a circle is any set of
//! modules that reach each other and belong to more than one feature.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

const MAX_LINES: usize = 400;

/// A source file: its module path (`["escalation", "service", "row"]`) and its code before
/// its tests, without comments.
struct Source {
    path: PathBuf,
    module: Vec<String>,
    code: String,
    lines: usize,
}

fn sources(root: &Path) -> Vec<Source> {
    let mut files = Vec::new();
    walk(root, &mut files);
    files
        .into_iter()
        .filter_map(|path| {
            let relative = path.strip_prefix(root).ok()?.with_extension("");
            let mut module: Vec<String> = relative
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            if module.first().is_some_and(|m| m == "bin") || module == ["lib"] || module == ["main"]
            {
                module.clear();
            }
            let text = std::fs::read_to_string(&path).ok()?;
            let before_tests = text.split("#[cfg(test)]").next().unwrap_or_default();
            let code = before_tests
                .lines()
                .map(|line| line.split("//").next().unwrap_or_default())
                .collect::<Vec<_>>()
                .join("\n");
            Some(Source {
                lines: before_tests.lines().count(),
                path,
                module,
                code,
            })
        })
        .collect()
}

fn walk(dir: &Path, files: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            walk(&path, files);
        } else if path.extension().is_some_and(|e| e == "rs") {
            files.push(path);
        }
    }
}

fn crate_root(name: &str) -> PathBuf {
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap_or(Path::new(".."));
    workspace.join(name).join("src")
}

#[test]
fn no_source_file_is_over_400_lines_before_its_tests() {
    let long: Vec<String> = ["app", "server"]
        .into_iter()
        .flat_map(|krate| sources(&crate_root(krate)))
        .filter(|s| s.lines > MAX_LINES && !s.module.iter().any(|m| m == "tests"))
        .map(|s| format!("{} ({} lines)", s.path.display(), s.lines))
        .collect();
    assert!(long.is_empty(), "split these along named seams: {long:#?}");
}

/// The module paths a source names with `crate::` or `super::`, resolved from `module`.
fn imports(module: &[String], code: &str) -> Vec<Vec<String>> {
    let mut found = Vec::new();
    for (start, _) in code
        .match_indices("crate::")
        .chain(code.match_indices("super::"))
    {
        let before = code[..start].chars().next_back();
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':') {
            continue;
        }
        let mut rest = &code[start..];
        let mut base: Vec<String> = if rest.starts_with("crate::") {
            rest = &rest["crate::".len()..];
            Vec::new()
        } else {
            // `super` of a file `a/b.rs` (module a::b) is `a`.
            let mut base = module.to_vec();
            while let Some(tail) = rest.strip_prefix("super::") {
                base.pop();
                rest = tail;
            }
            base
        };
        expand(&mut base, rest, &mut found);
    }
    // `use model::X;` and `pub use self::model::X;` name a child of this module.
    for statement in code.split(';') {
        let statement = statement.trim_start();
        let Some(path) = ["use ", "pub use ", "pub(crate) use ", "pub(super) use "]
            .iter()
            .find_map(|prefix| statement.strip_prefix(prefix))
        else {
            continue;
        };
        let path = path.trim_start().trim_start_matches("self::");
        if !path.starts_with("crate::") && !path.starts_with("super::") {
            expand(&mut module.to_vec(), path, &mut found);
        }
    }
    found
}

/// Follows `a::b::{c, d::e}` after a resolved base, pushing every path it names.
fn expand(base: &mut Vec<String>, rest: &str, found: &mut Vec<Vec<String>>) {
    if let Some(group) = rest.strip_prefix('{') {
        let mut depth = 0;
        let mut item_start = 0;
        for (i, c) in group.char_indices() {
            match c {
                '{' => depth += 1,
                '}' if depth == 0 => {
                    expand(&mut base.clone(), group[item_start..i].trim(), found);
                    return;
                }
                '}' => depth -= 1,
                ',' if depth == 0 => {
                    expand(&mut base.clone(), group[item_start..i].trim(), found);
                    item_start = i + 1;
                }
                _ => {}
            }
        }
        return;
    }
    let ident: String = rest
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_')
        .collect();
    if ident.is_empty() || ident == "self" {
        found.push(base.clone());
        return;
    }
    base.push(ident.clone());
    match rest[ident.len()..].strip_prefix("::") {
        Some(more) => expand(base, more, found),
        None => found.push(base.clone()),
    }
}

/// The circles between features in one crate: groups of modules that import each other and
/// span more than one feature.
fn circles(krate: &str) -> Vec<Vec<String>> {
    let sources = sources(&crate_root(krate));
    let node = |path: &[String]| path.iter().take(2).cloned().collect::<Vec<_>>().join("::");
    let known: BTreeSet<String> = sources.iter().map(|s| node(&s.module)).collect();
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for source in sources.iter().filter(|s| !s.module.is_empty()) {
        let from = node(&source.module);
        for path in imports(&source.module, &source.code) {
            let to = [node(&path), node(&path[..path.len().min(1)])]
                .into_iter()
                .find(|n| known.contains(n));
            if let Some(to) = to.filter(|to| *to != from) {
                edges.entry(from.clone()).or_default().insert(to);
            }
        }
    }
    strongly_connected(&edges)
        .into_iter()
        .filter(|group| {
            let features: BTreeSet<&str> =
                group.iter().filter_map(|m| m.split("::").next()).collect();
            features.len() > 1
        })
        .collect()
}

/// Tarjan's strongly connected components, larger than one module.
fn strongly_connected(edges: &BTreeMap<String, BTreeSet<String>>) -> Vec<Vec<String>> {
    struct Walk<'a> {
        edges: &'a BTreeMap<String, BTreeSet<String>>,
        index: BTreeMap<&'a str, usize>,
        low: BTreeMap<&'a str, usize>,
        stack: Vec<&'a str>,
        groups: Vec<Vec<String>>,
    }
    impl<'a> Walk<'a> {
        fn visit(&mut self, v: &'a str) {
            let i = self.index.len();
            self.index.insert(v, i);
            self.low.insert(v, i);
            self.stack.push(v);
            for w in self.edges.get(v).into_iter().flatten() {
                if !self.index.contains_key(w.as_str()) {
                    self.visit(w);
                    let low = self.low[v].min(self.low[w.as_str()]);
                    self.low.insert(v, low);
                } else if self.stack.contains(&w.as_str()) {
                    let low = self.low[v].min(self.index[w.as_str()]);
                    self.low.insert(v, low);
                }
            }
            if self.low[v] == self.index[v] {
                let mut group = Vec::new();
                while let Some(w) = self.stack.pop() {
                    group.push(w.to_string());
                    if w == v {
                        break;
                    }
                }
                if group.len() > 1 {
                    group.sort();
                    self.groups.push(group);
                }
            }
        }
    }
    let mut walk = Walk {
        edges,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        groups: Vec::new(),
    };
    for v in edges.keys() {
        if !walk.index.contains_key(v.as_str()) {
            walk.visit(v);
        }
    }
    walk.groups
}

#[test]
fn no_import_circle_between_features() {
    for krate in ["app", "server"] {
        let circles = circles(krate);
        assert!(
            circles.is_empty(),
            "{krate}: these modules import each other around a circle: {circles:#?}"
        );
    }
}

#[test]
fn the_import_reader_sees_nested_groups_and_super() {
    let module: Vec<String> = ["escalation", "service", "row"].map(String::from).to_vec();
    let found = imports(
        &module,
        "use crate::action::{model::{A, B}, service};\nlet x = super::super::model::Tier::One;\npub use self::moves::Move;",
    );
    let found: BTreeSet<String> = found.iter().map(|p| p.join("::")).collect();
    for expected in [
        "action::model::A",
        "action::model::B",
        "action::service",
        "escalation::model::Tier::One",
        "escalation::service::row::moves::Move",
    ] {
        assert!(found.contains(expected), "{expected} in {found:?}");
    }
    let mut edges = BTreeMap::new();
    edges.insert("a".to_string(), BTreeSet::from(["b".to_string()]));
    edges.insert("b".to_string(), BTreeSet::from(["a".to_string()]));
    assert_eq!(strongly_connected(&edges), vec![vec!["a", "b"]]);
}
