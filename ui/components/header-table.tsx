// Headers as a two-column table in the order given (received or answered), repeats kept.

export function HeaderTable({ headers, testId }: { headers: readonly [string, string][]; testId?: string }) {
  return (
    <table class="headers" data-testid={testId}>
      <tbody>
        {headers.map(([name, value], i) => (
          <tr key={i}>
            <th>{name}</th>
            <td>{value}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
