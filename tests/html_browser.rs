//! The HTML page in a real browser: headless Chromium takes a screenshot of the ticket desk's
//! page, and the screenshot must show the page (not blank), its charts (the red and blue of
//! the bars), and nothing past the right edge of the content column. Skips, saying so, when no
//! Chromium is installed, or fails with YARDSTICK_NO_SKIP=1 (`common::skip`; .ci/run sets it
//! before it installs Chromium, so that a failed install fails CI).

mod common;

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
    let dir = tempfile::tempdir().unwrap();
    let html = dir.path().join("audit.html");
    let png = dir.path().join("audit.png");
    let target = html.display().to_string();
    let mut args = vec![
        "audit",
        "-s",
        "standards/ticket-desk.toml",
        "--format",
        "html",
        "-o",
        &target,
    ];
    args.extend(extra);
    let o = run(&args);
    assert_eq!(code(&o), 1, "{}", stderr(&o));
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
