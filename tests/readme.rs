//! Every `console` block of README.md is run: each `$ salesplit …` line is
//! executed from the repository root and must print exactly the lines that
//! follow it (stdout, then stderr). A command may start with environment
//! settings, as in `$ COLUMNS=120 salesplit decompose …` (a terminal's width).

use assert_cmd::Command;

struct Example {
    env: Vec<(String, String)>,
    args: Vec<String>,
    expected: String,
}

fn examples(readme: &str) -> Vec<Example> {
    let mut out = Vec::new();
    let mut in_console = false;
    for line in readme.lines() {
        if line.starts_with("```console") {
            in_console = true;
        } else if line.starts_with("```") {
            in_console = false;
        } else if in_console {
            if let Some((env, cmd)) = command(line) {
                out.push(Example {
                    env,
                    args: cmd.split_whitespace().map(str::to_string).collect(),
                    expected: String::new(),
                });
            } else if let Some(example) = out.last_mut() {
                example.expected.push_str(line);
                example.expected.push('\n');
            }
        }
    }
    out
}

/// `$ NAME=value … salesplit ARGS`: the settings and the arguments.
fn command(line: &str) -> Option<(Vec<(String, String)>, &str)> {
    let mut rest = line.strip_prefix("$ ")?;
    let mut env = Vec::new();
    loop {
        if let Some(args) = rest.strip_prefix("salesplit ") {
            return Some((env, args));
        }
        let (word, after) = rest.split_once(' ')?;
        let (name, value) = word.split_once('=')?;
        if name.is_empty() || !name.chars().all(|c| c.is_ascii_uppercase() || c == '_') {
            return None;
        }
        env.push((name.to_string(), value.to_string()));
        rest = after;
    }
}

#[test]
fn readme_console_examples_print_what_they_show() {
    let readme = std::fs::read_to_string("README.md").unwrap();
    let examples = examples(&readme);
    assert!(examples.len() >= 4, "README should show its commands with their output");
    for ex in examples {
        let out = Command::cargo_bin("salesplit")
            .unwrap()
            .env_remove("COLUMNS")
            .env_remove("CLICOLOR_FORCE")
            .env_remove("NO_COLOR")
            .envs(ex.env.iter().map(|(k, v)| (k, v)))
            .args(&ex.args)
            .output()
            .unwrap();
        let printed = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
        assert_eq!(printed, ex.expected, "salesplit {}", ex.args.join(" "));
    }
}
