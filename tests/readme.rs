//! Every `console` block of README.md is run: each `$ salesplit …` line is
//! executed from the repository root and must print exactly the lines that
//! follow it (stdout, then stderr).

use assert_cmd::Command;

struct Example {
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
            if let Some(cmd) = line.strip_prefix("$ salesplit ") {
                out.push(Example {
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
            .args(&ex.args)
            .output()
            .unwrap();
        let printed = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
        assert_eq!(printed, ex.expected, "salesplit {}", ex.args.join(" "));
    }
}
