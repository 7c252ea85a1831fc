// A real SMTP server in a process of its own, for the email tests (test/helpers/smtp.ts drives it): plain SMTP
// on 127.0.0.1 at the port given as argument, no STARTTLS, sign-in optional (any user and password taken).
// It reports on stdout, one JSON object a line: {type:'ready'}, then {type:'message', from, to, user, raw}
// for each message accepted (written before the 250 that accepts it), and {type:'ack', id} for each command.
// Commands arrive on stdin, one JSON object a line: {id, refuse: false | 'rcpt' | 'data'} answers 451
// (try again later) at that step from then on; {id} alone only asks for an ack (everything reported before
// it has been written). It ends when stdin closes, so it never outlives the test that started it.
import readline from 'node:readline';
import { SMTPServer } from 'smtp-server';

const port = Number(process.argv[2]);
let refuse = false;

const report = (line) => process.stdout.write(`${JSON.stringify(line)}\n`);
const tryLater = () => Object.assign(new Error('Mailbox busy, try again later'), { responseCode: 451 });

const server = new SMTPServer({
  disabledCommands: ['STARTTLS'],
  authOptional: true,
  allowInsecureAuth: true,
  logger: false,
  onAuth(auth, _session, callback) {
    callback(null, { user: auth.username });
  },
  onRcptTo(_address, _session, callback) {
    callback(refuse === 'rcpt' ? tryLater() : undefined);
  },
  onData(stream, session, callback) {
    const chunks = [];
    stream.on('data', (chunk) => chunks.push(chunk));
    stream.on('end', () => {
      if (refuse === 'data') return callback(tryLater());
      report({
        type: 'message',
        from: session.envelope.mailFrom ? session.envelope.mailFrom.address : null,
        to: session.envelope.rcptTo.map((r) => r.address),
        user: session.user ?? null,
        raw: Buffer.concat(chunks).toString('utf8'),
      });
      callback();
    });
  },
});

server.on('error', (err) => {
  process.stderr.write(`smtp server: ${err.message}\n`);
  process.exit(1);
});

server.listen(port, '127.0.0.1', () => report({ type: 'ready', port }));

readline.createInterface({ input: process.stdin }).on('line', (line) => {
  const command = JSON.parse(line);
  if ('refuse' in command) refuse = command.refuse;
  report({ type: 'ack', id: command.id });
});
process.stdin.on('end', () => process.exit(0));
