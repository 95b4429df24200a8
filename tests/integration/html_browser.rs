//! The HTML page in a real browser: headless Chromium takes a screenshot of the ticket desk's
//! page, and the screenshot must show the page (not blank), its charts (the red and blue of
//! the bars), and nothing past the right edge of the content column. At 800 px wide, the
//! layout as Chromium lays it out (measured by a script added to a copy of the page; the page
//! itself has none): the summary's standard, title, target, compliance and status columns in
//! view, the weekly charts' axis labels apart from each other, and on two years of a generated
//! log with months without a ticket a grey gap as wide as those months. Skips, saying so, when
//! no Chromium is installed, or fails with YARDSTICK_NO_SKIP=1 (`common::skip`; .ci/run sets it
//! before it installs Chromium, so that a failed install fails CI).

use crate::common;

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::*;

fn chromium() -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    for name in [
        "chromium",
        "chromium-browser",
        "google-chrome",
        "google-chrome-stable",
    ] {
        for dir in std::env::split_paths(&path) {
            let candidate = dir.join(name);
            if candidate.is_file() {
                return Some(candidate);
            }
        }
    }
    None
}

/// An 8-bit RGB or RGBA PNG, decoded to RGB rows.
struct Image {
    width: usize,
    height: usize,
    rgb: Vec<[u8; 3]>,
}

fn decode_png(bytes: &[u8]) -> Image {
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n", "not a PNG");
    let (mut pos, mut idat) = (8, Vec::new());
    let (mut width, mut height, mut channels) = (0, 0, 0);
    while pos + 8 <= bytes.len() {
        let len = u32::from_be_bytes(bytes[pos..pos + 4].try_into().unwrap()) as usize;
        let kind = &bytes[pos + 4..pos + 8];
        let body = &bytes[pos + 8..pos + 8 + len];
        match kind {
            b"IHDR" => {
                width = u32::from_be_bytes(body[0..4].try_into().unwrap()) as usize;
                height = u32::from_be_bytes(body[4..8].try_into().unwrap()) as usize;
                assert_eq!(body[8], 8, "bit depth");
                assert_eq!(body[12], 0, "not interlaced");
                channels = match body[9] {
                    2 => 3,
                    6 => 4,
                    other => panic!("PNG colour type {other}"),
                };
            }
            b"IDAT" => idat.extend_from_slice(body),
            _ => {}
        }
        pos += 12 + len;
    }
    let mut raw = Vec::new();
    flate2::read::ZlibDecoder::new(&idat[..])
        .read_to_end(&mut raw)
        .unwrap();
    let stride = width * channels;
    let mut prev = vec![0u8; stride];
    let mut rgb = Vec::with_capacity(width * height);
    for y in 0..height {
        let line = &raw[y * (stride + 1)..(y + 1) * (stride + 1)];
        let (filter, data) = (line[0], &line[1..]);
        let mut cur = vec![0u8; stride];
        for i in 0..stride {
            let a = if i >= channels { cur[i - channels] } else { 0 };
            let b = prev[i];
            let c = if i >= channels { prev[i - channels] } else { 0 };
            let predicted = match filter {
                0 => 0,
                1 => a,
                2 => b,
                3 => ((a as u16 + b as u16) / 2) as u8,
                4 => {
                    let p = a as i16 + b as i16 - c as i16;
                    let (pa, pb, pc) = (
                        (p - a as i16).abs(),
                        (p - b as i16).abs(),
                        (p - c as i16).abs(),
                    );
                    if pa <= pb && pa <= pc {
                        a
                    } else if pb <= pc {
                        b
                    } else {
                        c
                    }
                }
                f => panic!("PNG filter {f}"),
            };
            cur[i] = data[i].wrapping_add(predicted);
        }
        for px in cur.chunks(channels) {
            rgb.push([px[0], px[1], px[2]]);
        }
        prev = cur;
    }
    Image { width, height, rgb }
}

fn screenshot(browser: &Path, html: &Path, png: &Path) {
    let mut child = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--hide-scrollbars",
            "--no-first-run",
            "--window-size=1280,2000",
        ])
        .arg(format!("--screenshot={}", png.display()))
        .arg(format!("file://{}", html.display()))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("chromium starts");
    let start = Instant::now();
    loop {
        if child.try_wait().unwrap().is_some() {
            break;
        }
        if start.elapsed() > Duration::from_secs(120) {
            let _ = child.kill();
            panic!("chromium took more than two minutes");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn the_html_page_renders_with_visible_charts_and_nothing_overflows() {
    let Some(browser) = chromium() else {
        skip("no chromium on PATH (apt-get install -y chromium) to screenshot the HTML page");
        return;
    };
    // the whole-log page, and the widest table: every group of two dimensions with totals
    page(&browser, &[]);
    page(&browser, &["--by", "department,week"]);
}

fn page(browser: &Path, extra: &[&str]) {
    screenshot_checks(browser, "standards/ticket-desk.toml", extra, 1);
}

/// Audits `standards` (with `extra` arguments) to an HTML page and checks its screenshot.
fn screenshot_checks(browser: &Path, standards: &str, extra: &[&str], exit: i32) {
    let dir = tempfile::tempdir().unwrap();
    let html = dir.path().join("audit.html");
    let png = dir.path().join("audit.png");
    let target = html.display().to_string();
    let mut args = vec!["audit", "-s", standards, "--format", "html", "-o", &target];
    args.extend(extra);
    let o = run(&args);
    assert_eq!(code(&o), exit, "{}", stderr(&o));
    screenshot(browser, &html, &png);
    let bytes = std::fs::read(&png).expect("chromium wrote a screenshot");
    let img = decode_png(&bytes);
    assert_eq!((img.width, img.height), (1280, 2000));
    let white = |p: &[u8; 3]| p.iter().all(|&c| c >= 250);
    let ink = img.rgb.iter().filter(|p| !white(p)).count();
    assert!(
        ink > img.rgb.len() / 50,
        "the screenshot is (nearly) blank: {ink} of {} pixels not white",
        img.rgb.len()
    );
    // the charts: the failing bars' red (#cf222e) and the histograms' blue (#0969da)
    let near = |p: &[u8; 3], c: [u8; 3]| p.iter().zip(c).all(|(&a, b)| a.abs_diff(b) <= 12);
    let red = img
        .rgb
        .iter()
        .filter(|p| near(p, [0xcf, 0x22, 0x2e]))
        .count();
    let blue = img
        .rgb
        .iter()
        .filter(|p| near(p, [0x09, 0x69, 0xda]))
        .count();
    assert!(red > 5_000, "red chart pixels: {red}");
    assert!(blue > 5_000, "blue chart pixels: {blue}");
    // the content column is 1180 px wide, centred: the last 40 px of every row stay white
    for y in 0..img.height {
        for x in img.width - 40..img.width {
            let p = &img.rgb[y * img.width + x];
            assert!(
                white(p),
                "content reaches x={x}, y={y}: {p:?} (it overflows)"
            );
        }
    }
}

/// Where things are on the page as Chromium lays it out at `width` px, measured by a script
/// in a copy of the page: the right edge of the summary's scrolling box and of each of its
/// column headings, each weekly chart's axis labels (left and right edges), the gap bands'
/// widths.
struct Layout {
    visible: f64,
    heads: serde_json::Map<String, serde_json::Value>,
    labels: Vec<Vec<(f64, f64)>>,
    gaps: Vec<f64>,
}

const MEASURE: &str = r#"<script>
addEventListener('load', () => {
  const scroll = document.querySelector('div.scroll');
  const r = {visible: scroll.getBoundingClientRect().right, heads: {}};
  for (const th of scroll.querySelectorAll('th')) r.heads[th.textContent] = th.getBoundingClientRect().right;
  r.labels = [...document.querySelectorAll('figure.trend')].map(f =>
    [...f.querySelectorAll('text.week')].map(t => { const b = t.getBoundingClientRect(); return [b.left, b.right]; }));
  r.gaps = [...document.querySelectorAll('rect.gap')].map(g => g.getBoundingClientRect().width);
  const pre = document.createElement('pre');
  pre.id = 'layout';
  pre.textContent = JSON.stringify(r);
  document.body.appendChild(pre);
});
</script>"#;

fn layout(browser: &Path, html: &Path, width: u32) -> Layout {
    let page = std::fs::read_to_string(html).unwrap();
    assert!(!page.contains("<script"), "the page itself has no script");
    let probe = html.with_extension("probe.html");
    std::fs::write(
        &probe,
        page.replace("</body>", &format!("{MEASURE}</body>")),
    )
    .unwrap();
    let profile = tempfile::tempdir().unwrap();
    let o = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg(format!("--window-size={width},1200"))
        .arg("--dump-dom")
        .arg(format!("file://{}", probe.display()))
        .stderr(Stdio::null())
        .output()
        .expect("chromium runs");
    let dom = String::from_utf8_lossy(&o.stdout);
    let start = dom
        .find("<pre id=\"layout\">")
        .unwrap_or_else(|| panic!("no measurements in the DOM Chromium dumped:\n{dom}"));
    let text = &dom[start + "<pre id=\"layout\">".len()..];
    let text = text[..text.find("</pre>").unwrap()]
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&");
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    let num = |v: &serde_json::Value| v.as_f64().unwrap();
    Layout {
        visible: num(&v["visible"]),
        heads: v["heads"].as_object().unwrap().clone(),
        labels: v["labels"]
            .as_array()
            .unwrap()
            .iter()
            .map(|chart| {
                chart
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|b| (num(&b[0]), num(&b[1])))
                    .collect()
            })
            .collect(),
        gaps: v["gaps"].as_array().unwrap().iter().map(num).collect(),
    }
}

/// At 800 px: the key columns are in view without scrolling, and no two axis labels of a
/// weekly chart touch (at most 20 of them).
fn readable_at_800(what: &str, l: &Layout, key: &[&str]) {
    for &name in key {
        let right = l
            .heads
            .get(name)
            .unwrap_or_else(|| panic!("{what}: no column {name}"));
        let right = right.as_f64().unwrap();
        assert!(
            right <= l.visible,
            "{what}: the {name} column ends at {right} px, past the {} px in view",
            l.visible
        );
    }
    assert!(!l.labels.is_empty(), "{what}: no weekly chart");
    for chart in &l.labels {
        assert!(
            (2..=20).contains(&chart.len()),
            "{what}: {} axis labels",
            chart.len()
        );
        for pair in chart.windows(2) {
            assert!(
                pair[1].0 > pair[0].1 + 4.0,
                "{what}: axis labels at {:?} and {:?} overlap",
                pair[0],
                pair[1]
            );
        }
    }
}

/// A ticket log of two years (2025-W01 to 2026-W52) with no ticket from 2025-W20 to
/// 2025-W35: each week six tickets, created on Monday, answered after 3 to 13 minutes (so
/// that some weeks fall short of 95%), solved an hour later.
fn two_year_log(path: &Path) {
    let monday = chrono::NaiveDate::from_ymd_opt(2024, 12, 30)
        .unwrap()
        .and_hms_opt(9, 0, 0)
        .unwrap();
    let mut csv =
        String::from("ticket_id,timestamp,event,department,channel,agent,customer_type\n");
    let mut n = 0;
    for week in (0..104).filter(|w| !(19..35).contains(w)) {
        for t in 0..6i64 {
            n += 1;
            let created = monday + chrono::Duration::weeks(week) + chrono::Duration::hours(t);
            let reply = created + chrono::Duration::minutes(3 + (week * 7 + t * 5) % 11);
            let solved = reply + chrono::Duration::hours(1);
            for (at, event) in [
                (created, "created"),
                (reply, "agent_reply"),
                (solved, "solved"),
            ] {
                csv.push_str(&format!(
                    "T-{n},{},{event},Support,chat,Ana,new\n",
                    at.format("%Y-%m-%dT%H:%M:%SZ")
                ));
            }
        }
    }
    std::fs::write(path, csv).unwrap();
}

#[test]
fn the_html_page_stays_readable_at_800_px_and_over_two_years() {
    let Some(browser) = chromium() else {
        skip("no chromium on PATH (apt-get install -y chromium) to lay out the HTML page");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let key = ["Standard", "Title", "Target", "Compliance", "Status"];

    // the ticket desk, whole and by department and week
    for (what, extra, key) in [
        ("ticket desk", &[][..], &key[..]),
        (
            "ticket desk by department, week",
            &["--by", "department,week"][..],
            &["Standard", "Group", "Target", "Compliance", "Status"][..],
        ),
    ] {
        let html = dir.path().join("desk.html");
        let target = path_str(&html);
        let mut args = vec![
            "audit",
            "-s",
            "standards/ticket-desk.toml",
            "--format",
            "html",
        ];
        args.extend(["-o", &target]);
        args.extend(extra);
        assert_eq!(code(&run(&args)), 1);
        readable_at_800(what, &layout(&browser, &html, 800), key);
    }

    // two years with four months without a ticket
    let log = dir.path().join("two-years.csv");
    two_year_log(&log);
    let html = dir.path().join("two-years.html");
    let o = run(&[
        "audit",
        "-s",
        "standards/ticket-desk.toml",
        "--log",
        &format!("tickets={}", path_str(&log)),
        "--format",
        "html",
        "-o",
        &path_str(&html),
    ]);
    assert!(code(&o) <= 1, "{}", stderr(&o));
    let page = std::fs::read_to_string(&html).unwrap();
    // 104 weeks less 16 on the axis of each chart: without thinning there would be 88 labels
    assert!(page.matches("class=\"week\"").count() <= 20 * 4);
    let l = layout(&browser, &html, 800);
    readable_at_800("two years", &l, &key);
    // the 16 weeks without a ticket: a band about 16/103 of the plot (some 370 of ~760 px)
    assert!(!l.gaps.is_empty(), "no gap drawn for the missing weeks");
    assert!(
        l.gaps.iter().all(|&w| w > 30.0),
        "gap bands {:?} px wide: the missing months are squeezed",
        l.gaps
    );
    // and at 1280 px the long page shows its charts and stays in its column
    let arg = format!("tickets={}", path_str(&log));
    screenshot_checks(&browser, "standards/ticket-desk.toml", &["--log", &arg], 1);
}

/// Olist's two years, when the real export is here (`$YARDSTICK_DATA`, as tests/integration/cli_real_data.rs).
#[test]
fn the_olist_page_stays_readable_at_800_px() {
    let Some(browser) = chromium() else {
        skip("no chromium on PATH (apt-get install -y chromium) to lay out the HTML page");
        return;
    };
    let Some(base) = std::env::var_os("YARDSTICK_DATA").map(PathBuf::from) else {
        skip("YARDSTICK_DATA is not set: no Olist export for the two-year page");
        return;
    };
    let (orders, reviews) = (
        base.join("olist/olist_orders_dataset.csv"),
        base.join("olist/olist_order_reviews_dataset.csv"),
    );
    if !orders.is_file() || !reviews.is_file() {
        skip(&format!("no Olist export in {}", base.display()));
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let html = dir.path().join("olist.html");
    let o = run(&[
        "audit",
        "-s",
        "standards/examples/olist-orders.toml",
        "--log",
        &format!("orders={}", path_str(&orders)),
        "--log",
        &format!("reviews={}", path_str(&reviews)),
        "--format",
        "html",
        "-o",
        &path_str(&html),
    ]);
    assert!(code(&o) <= 1, "{}", stderr(&o));
    let l = layout(&browser, &html, 800);
    readable_at_800(
        "olist",
        &l,
        &["Standard", "Title", "Target", "Compliance", "Status"],
    );
    // 2016-W41 to 2016-W52: no order (the export's first weeks are sparse)
    assert!(l.gaps.iter().any(|&w| w > 30.0), "gaps {:?}", l.gaps);
}

/// `trend --format html` in Chromium: the shipped folder's page shows its lines (blue), the
/// intervals' whiskers (grey) and the running periods' hollow points, stays in its column at
/// 1280 px and keeps the table's key columns in view at 800 px; two years of weeks keep at
/// most 20 axis labels per chart, none overlapping.
#[test]
fn the_trend_page_renders_with_intervals_and_stays_readable() {
    let Some(browser) = chromium() else {
        skip("no chromium on PATH (apt-get install -y chromium) to screenshot the trend page");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let html = dir.path().join("trend.html");
    let png = dir.path().join("trend.png");
    let o = run(&[
        "trend",
        "-s",
        "standards/",
        "--format",
        "html",
        "-o",
        &path_str(&html),
    ]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    screenshot(&browser, &html, &png);
    let img = decode_png(&std::fs::read(&png).expect("chromium wrote a screenshot"));
    let near = |p: &[u8; 3], c: [u8; 3]| p.iter().zip(c).all(|(&a, b)| a.abs_diff(b) <= 12);
    let count = |c: [u8; 3]| img.rgb.iter().filter(|p| near(p, c)).count();
    // the lines (#0969da), the whiskers (#57606a), the green and red points
    assert!(count([0x09, 0x69, 0xda]) > 3_000, "blue line pixels");
    assert!(count([0x57, 0x60, 0x6a]) > 500, "grey whisker pixels");
    assert!(count([0x2d, 0xa4, 0x4e]) > 100, "green point pixels");
    for y in 0..img.height {
        for x in img.width - 40..img.width {
            let p = &img.rgb[y * img.width + x];
            assert!(p.iter().all(|&c| c >= 250), "content reaches x={x}, y={y}");
        }
    }
    let l = layout(&browser, &html, 800);
    readable_at_800("trend", &l, &["Standard", "Period", "Compliance"]);

    // two years of weeks
    let log = dir.path().join("two-years.csv");
    two_year_log(&log);
    let o = run(&[
        "trend",
        "-s",
        "standards/ticket-desk.toml",
        "--log",
        &format!("tickets={}", path_str(&log)),
        "--periods",
        "104",
        "--format",
        "html",
        "-o",
        &path_str(&html),
    ]);
    assert!(code(&o) <= 1, "{}", stderr(&o));
    let l = layout(&browser, &html, 800);
    readable_at_800(
        "trend over two years",
        &l,
        &["Standard", "Period", "Compliance"],
    );
}
