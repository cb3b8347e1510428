// Headers as a two-column table in the order given (received or answered), repeats kept.
import { PayloadText } from './payload-text.tsx';

export function HeaderTable({ headers, testId }: { headers: readonly [string, string][]; testId?: string }) {
  return (
    <table class="headers" data-testid={testId}>
      <tbody>
        {headers.map(([name, value], i) => (
          <tr key={i}>
            <th><PayloadText text={name} /></th>
            <td><PayloadText text={value} /></td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
