//! JSON-RPC over stdio with `Content-Length` framing, tolerant of bad input.
//!
//! lsp-server's own stdio reader stops the connection at the first malformed payload; a
//! language server must instead answer it with a JSON-RPC error and read on. So frames are
//! read here, well-formed messages become [`lsp_server::Message`]s, and anything else gets
//! its error response (`-32700` for bytes that are not JSON, `-32600` for JSON that is not
//! a message) written straight back.

use std::io::{self, BufRead, Read, Write};

use lsp_server::{ErrorCode, Message};
use serde_json::{json, Value};

/// Messages larger than this are skipped (with an error response), never buffered.
pub const MAX_MESSAGE_BYTES: usize = 64 * 1024 * 1024;

/// What one frame held.
#[derive(Debug)]
pub enum Frame {
    /// A well-formed message.
    Message(Message),
    /// A malformed one: the error response to send back.
    Invalid(Value),
}

/// Reads the next frame; `Ok(None)` at the end of the input. Framing errors that leave the
/// stream readable (a missing or bad `Content-Length`, a body that is not JSON or not a
/// message, an oversized body) come back as [`Frame::Invalid`]; only I/O errors and a
/// truncated body end the stream.
pub fn read_frame(input: &mut impl BufRead) -> io::Result<Option<Frame>> {
    let mut length: Option<Result<usize, String>> = None;
    let mut line = String::new();
    let mut saw_header = false;
    loop {
        line.clear();
        if read_header_line(input, &mut line)? == 0 {
            return Ok(None);
        }
        let header = line.trim_end_matches(['\r', '\n']);
        if header.is_empty() {
            if saw_header {
                break;
            }
            continue; // stray blank lines between messages
        }
        saw_header = true;
        if let Some((name, value)) = header.split_once(':') {
            if name.trim().eq_ignore_ascii_case("content-length") {
                length = Some(
                    value
                        .trim()
                        .parse::<usize>()
                        .map_err(|_| format!("bad Content-Length `{}`", value.trim())),
                );
            }
        }
    }
    let length = match length {
        None => {
            return Ok(Some(invalid(
                ErrorCode::ParseError,
                "no Content-Length header",
            )))
        }
        Some(Err(message)) => return Ok(Some(invalid(ErrorCode::ParseError, &message))),
        Some(Ok(length)) => length,
    };
    if length > MAX_MESSAGE_BYTES {
        io::copy(&mut input.by_ref().take(length as u64), &mut io::sink())?;
        return Ok(Some(invalid(
            ErrorCode::InvalidRequest,
            &format!("message of {length} bytes is over the {MAX_MESSAGE_BYTES}-byte limit"),
        )));
    }
    let mut body = vec![0; length];
    input.read_exact(&mut body)?;
    Ok(Some(parse(&body)))
}

/// Reads one header line, at most 8 KB of it (a line that long is not a header).
fn read_header_line(input: &mut impl BufRead, line: &mut String) -> io::Result<usize> {
    let mut bytes = Vec::new();
    let read = input.by_ref().take(8192).read_until(b'\n', &mut bytes)?;
    line.push_str(&String::from_utf8_lossy(&bytes));
    Ok(read)
}

/// A frame's body as a message, or the error response it deserves.
pub fn parse(body: &[u8]) -> Frame {
    let value: Value = match serde_json::from_slice(body) {
        Ok(value) => value,
        Err(error) => return invalid(ErrorCode::ParseError, &format!("parse error: {error}")),
    };
    if value.is_array() {
        return invalid(ErrorCode::InvalidRequest, "batches are not supported");
    }
    // The id, when one can be read, so the client can match the error to its request.
    let id = value
        .get("id")
        .filter(|id| id.is_i64() || id.is_string())
        .cloned();
    let has_id = value.get("id").is_some_and(|id| !id.is_null());
    match serde_json::from_value::<Message>(value) {
        // An id that is neither a 32-bit number nor a string parses as a notification.
        Ok(Message::Notification(_)) if has_id => Frame::Invalid(error_response(
            id.unwrap_or(Value::Null),
            ErrorCode::InvalidRequest,
            "invalid request: the id must be a 32-bit integer or a string",
        )),
        Ok(message) => Frame::Message(message),
        Err(error) => Frame::Invalid(error_response(
            id.unwrap_or(Value::Null),
            ErrorCode::InvalidRequest,
            &format!("invalid request: {error}"),
        )),
    }
}

fn invalid(code: ErrorCode, message: &str) -> Frame {
    Frame::Invalid(error_response(Value::Null, code, message))
}

/// A JSON-RPC error response.
pub fn error_response(id: Value, code: ErrorCode, message: &str) -> Value {
    json!({
        "jsonrpc": "2.0",
        "id": id,
        "error": { "code": code as i32, "message": message },
    })
}

/// Writes a raw JSON-RPC value with its header.
pub fn write_value(output: &mut impl Write, value: &Value) -> io::Result<()> {
    let text = value.to_string();
    write!(output, "Content-Length: {}\r\n\r\n{text}", text.len())?;
    output.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frames(input: &str) -> Vec<Frame> {
        let mut reader = io::BufReader::new(input.as_bytes());
        let mut out = Vec::new();
        while let Ok(Some(frame)) = read_frame(&mut reader) {
            out.push(frame);
        }
        out
    }

    fn framed(body: &str) -> String {
        format!("Content-Length: {}\r\n\r\n{body}", body.len())
    }

    fn error_code(frame: &Frame) -> i64 {
        match frame {
            Frame::Invalid(value) => value["error"]["code"].as_i64().unwrap(),
            Frame::Message(message) => panic!("expected an error, got {message:?}"),
        }
    }

    #[test]
    fn reads_messages_and_survives_bad_ones() {
        let input = [
            framed(r#"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{}}"#),
            framed("{not json"),
            "Content-Type: x\r\n\r\n".to_string(),
            "Content-Length: lots\r\n\r\n".to_string(),
            framed(r#"{"jsonrpc":"2.0","id":7,"params":{}}"#),
            framed(r#"[{"jsonrpc":"2.0","id":8,"method":"shutdown"}]"#),
            framed(r#"{"jsonrpc":"2.0","id":true,"method":"shutdown"}"#),
            framed(r#"{"jsonrpc":"2.0","method":"exit"}"#),
        ]
        .concat();
        let frames = frames(&input);
        assert_eq!(frames.len(), 8);
        assert!(
            matches!(&frames[0], Frame::Message(Message::Request(r)) if r.method == "initialize")
        );
        assert_eq!(error_code(&frames[1]), -32700);
        assert_eq!(error_code(&frames[2]), -32700);
        assert_eq!(error_code(&frames[3]), -32700);
        assert_eq!(error_code(&frames[4]), -32600);
        // The id is kept when it can be read.
        assert!(matches!(&frames[4], Frame::Invalid(v) if v["id"] == 7));
        assert_eq!(error_code(&frames[5]), -32600);
        assert_eq!(error_code(&frames[6]), -32600);
        assert!(
            matches!(&frames[7], Frame::Message(Message::Notification(n)) if n.method == "exit")
        );
    }

    #[test]
    fn oversized_bodies_are_skipped_not_buffered() {
        let big = MAX_MESSAGE_BYTES + 1;
        let mut input = format!("Content-Length: {big}\r\n\r\n").into_bytes();
        input.resize(input.len() + big, b' ');
        input.extend(framed(r#"{"jsonrpc":"2.0","method":"exit"}"#).bytes());
        let mut reader = io::BufReader::new(input.as_slice());
        let first = read_frame(&mut reader).unwrap().unwrap();
        assert_eq!(error_code(&first), -32600);
        let next = read_frame(&mut reader).unwrap().unwrap();
        assert!(matches!(next, Frame::Message(Message::Notification(_))));
    }

    #[test]
    fn a_truncated_body_ends_the_stream() {
        let mut reader = io::BufReader::new("Content-Length: 10\r\n\r\n{}".as_bytes());
        assert!(read_frame(&mut reader).is_err());
        let mut empty = io::BufReader::new("".as_bytes());
        assert!(read_frame(&mut empty).unwrap().is_none());
    }
}
